# java-prof-labs: the seed's targets, as thin calls to ./proflab (which finds a JDK >= 21 and builds).
#   make compare-fib                 before/after/best of the fib lab: numbers, verdict, table
#   make compare-fib BENCH_COUNT=10  more forks per variant (n = BENCH_COUNT x BENCH_ITERATIONS)
#   make test                        every test (unit, integration, launcher)

PROFLAB          ?= ./proflab
BENCH_TIME       ?= 200ms
BENCH_COUNT      ?= 5
BENCH_ITERATIONS ?= 2
COMPARE_FLAGS    ?=

JAVA_HOME := $(shell scripts/find-jdk 2>/dev/null)
export JAVA_HOME
MVNW := ./mvnw -B -q

.PHONY: build test bench bench-fib bench-alloc bench-mutex \
        benchstat-fib benchstat-alloc benchstat-mutex \
        compare-fib compare-alloc compare-mutex bench-compare clean check-jdk

check-jdk:
	@scripts/find-jdk >/dev/null

## build: compile everything, package proflab.jar and bench/target/benchmarks.jar
build: check-jdk
	$(MVNW) -DskipTests package

## test: unit tests, integration tests (real JMH runs) and the launcher's tests
test: check-jdk
	./mvnw -B verify
	scripts/test-launcher

## bench: every lab benchmark once, JMH's own report with B/op (like go test -bench -benchmem)
bench:
	$(PROFLAB) bench all --time $(BENCH_TIME)

bench-fib:
	$(PROFLAB) bench fib --time $(BENCH_TIME)

bench-alloc:
	$(PROFLAB) bench alloc --time $(BENCH_TIME)

bench-mutex:
	$(PROFLAB) bench mutex --time $(BENCH_TIME)

## compare-*: interleaved forks of before/after(/best), then the benchstat-style table and a verdict
compare-fib:
	$(PROFLAB) compare fib --count $(BENCH_COUNT) --iterations $(BENCH_ITERATIONS) --time $(BENCH_TIME) $(COMPARE_FLAGS)

compare-alloc:
	$(PROFLAB) compare alloc --count $(BENCH_COUNT) --iterations $(BENCH_ITERATIONS) --time $(BENCH_TIME) $(COMPARE_FLAGS)

compare-mutex:
	$(PROFLAB) compare mutex --count $(BENCH_COUNT) --iterations $(BENCH_ITERATIONS) --time $(BENCH_TIME) $(COMPARE_FLAGS)

bench-compare: compare-fib compare-alloc compare-mutex

## benchstat-*: the statistics again over the raw results that compare-* kept in tmp/
benchstat-fib:
	$(PROFLAB) stat --col impl tmp/fib.json

benchstat-alloc:
	$(PROFLAB) stat --col impl tmp/alloc.json

benchstat-mutex:
	$(PROFLAB) stat --col impl tmp/mutex.json

clean:
	$(MVNW) clean
	rm -rf tmp
