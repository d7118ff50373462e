# java-prof-labs: the seed's targets, as thin calls to ./proflab (which finds a JDK >= 21 and builds).
#   make compare-fib                 before/after/best of the fib lab: numbers, verdict, table
#   make compare-fib BENCH_COUNT=10  more forks per variant (n = BENCH_COUNT x BENCH_ITERATIONS)
#   make test                        every test (unit, integration, launcher)
#   make test-fast                   unit and golden tests only (no forked JVMs, browser or captures)
#   make dist                        dist/proflab-VERSION.tar.gz and .zip: runs with a JDK alone (docs/install.md)

PROFLAB          ?= ./proflab
BENCH_TIME       ?= 200ms
BENCH_COUNT      ?= 5
BENCH_ITERATIONS ?= 2
COMPARE_FLAGS    ?=
# compare-fib, bench-compare, pprof-*, trace and view-history end by serving a page in proflab view on the
# seed's ports, at a terminal until q, Enter or Ctrl-C (the target then ends with exit 0); with no terminal
# (CI, a pipe) or VIEW=0 they print the command that opens the page instead and end. VIEW_PORT=N: another port
VIEW             ?= 1
VIEW_PORT        ?=

JAVA_HOME := $(shell scripts/find-jdk 2>/dev/null)
export JAVA_HOME
MVNW := ./mvnw -B -q

.PHONY: build test test-fast bench bench-fib bench-alloc bench-mutex \
        benchstat-fib benchstat-alloc benchstat-mutex \
        compare-fib compare-alloc compare-mutex bench-compare clean check-jdk dist specs

check-jdk:
	@scripts/find-jdk >/dev/null

## build: compile everything, package proflab.jar and bench/target/benchmarks.jar
build: check-jdk
	$(MVNW) -DskipTests package

## test: unit tests, integration tests (real JMH runs), the launcher's tests, and the installed archive's
test: check-jdk
	./mvnw -B verify
	scripts/test-launcher
	scripts/make-dist
	scripts/test-dist

## dist: the archive to install without this repository (bin/proflab, lib/, completion, licences)
dist: check-jdk
	scripts/make-dist

## specs: write cli's CommandSpecs.java again from the commands' picocli annotations, after a change of an
## option (CommandSpecsTest fails until then); it starts from an empty one, so a stale file cannot stop the build
specs: check-jdk
	printf '%s\n' 'package dev.proflab.cli;' 'final class CommandSpecs {' \
	  '    static picocli.CommandLine.Model.CommandSpec main(Main o) { return null; }' \
	  '    static picocli.CommandLine.Model.CommandSpec of(String name) { return null; }' '}' \
	  > cli/src/main/java/dev/proflab/cli/CommandSpecs.java
	$(MVNW) test -pl cli -am -Dtest=CommandSpecsTest#theWrittenModelsAreWhatTheAnnotationsSay \
	  -Dproflab.writeSpecs=true -Dsurefire.failIfNoSpecifiedTests=false

## test-fast: the unit and golden tests, without the classes tagged "slow" (forked JVMs, the browser,
## captures of seconds, real services under load) and without the integration tests: the inner loop
test-fast: check-jdk
	./mvnw -B -q test -DexcludedGroups=slow -Dsurefire.printSummary=true

## bench: every lab benchmark once, JMH's own report with B/op (like go test -bench -benchmem)
bench:
	$(PROFLAB) bench all --time $(BENCH_TIME)

bench-fib:
	$(PROFLAB) bench fib --time $(BENCH_TIME)

bench-alloc:
	$(PROFLAB) bench alloc --time $(BENCH_TIME)

bench-mutex:
	$(PROFLAB) bench mutex --time $(BENCH_TIME)

## view FILE,PORT[,MORE]: the page of a recording (scripts/view-page: served at a terminal, else the command)
# the targets that run until stopped (run-server, collect, my-service): at a terminal q, Enter or Ctrl-C stop
# them and the target ends with exit 0 (scripts/until-key); the command is shown as make shows any other
until-key = $(info $(1))@scripts/until-key $(1)
view = @PROFLAB='$(PROFLAB)' VIEW='$(VIEW)' scripts/view-page $(1) --port $(or $(VIEW_PORT),$(2)) $(3)

## compare-*: interleaved forks of before/after(/best), then the benchstat-style table and a verdict
## compare-fib then records a CPU profile of before and of after (DIFF_TIME each) and serves both and
## their difference in proflab view on :18090 (see VIEW above)
## bench-compare: the three comparisons, then the fib profiles and their page, as compare-fib ends
DIFF_TIME ?= 5s
compare = $(PROFLAB) compare $(1) --count $(BENCH_COUNT) --iterations $(BENCH_ITERATIONS) --time $(BENCH_TIME) $(COMPARE_FLAGS)
define fib-diff
$(PROFLAB) profile fib-before -e cpu -d $(DIFF_TIME) -o tmp/fib-before-cpu.jfr
$(PROFLAB) profile fib-after -e cpu -d $(DIFF_TIME) -o tmp/fib-after-cpu.jfr
$(call view,tmp/fib-after-cpu.jfr --base tmp/fib-before-cpu.jfr,18090)
endef

compare-fib:
	$(call compare,fib)
	$(fib-diff)

compare-alloc:
	$(call compare,alloc)

compare-mutex:
	$(call compare,mutex)

bench-compare:
	$(call compare,fib)
	$(call compare,alloc)
	$(call compare,mutex)
	$(fib-diff)

## benchstat-*: the statistics again over the raw results that compare-* kept in tmp/
benchstat-fib:
	$(PROFLAB) stat --col impl tmp/fib.json

benchstat-alloc:
	$(PROFLAB) stat --col impl tmp/alloc.json

benchstat-mutex:
	$(PROFLAB) stat --col impl tmp/mutex.json

clean:
	$(MVNW) clean
	rm -rf tmp dist

## ---- capture: profiles into tmp/*.jfr (+ FILE.json), then the terminal report -------------------------
##   make pprof-fib-before                     CPU profile of recursive fib, then its top functions
##   make run-mem GC="-XX:+UseZGC -Xmx256m"   mem-hot under a chosen GC (the seed's GOGC=50 make run-mem)
##   make run-cpu PROFILE_FLAGS="--engine jfr" any 'proflab profile' option (engine, interval, -d ...)
PROFILE_TIME  ?= 10s
PROFILE_FLAGS ?=
GC            ?=
GC_LOG        ?= -Xlog:gc

.PHONY: bench-cpu bench-mem perop-fib run-cpu run-mem pprof-cpu pprof-heap \
        pprof-fib-before pprof-fib-after pprof-alloc-before pprof-alloc-after trace

## bench-cpu / bench-mem: a benchmark's measurement iterations under the profiler (go test -cpuprofile / -memprofile),
## then its top functions per JMH operation (the count of the iterations recorded, in tmp/bench-*.jfr.ops.json)
bench-cpu:
	$(PROFLAB) profile --bench FibBench -p impl=recursive -e cpu -o tmp/bench-cpu.jfr $(PROFILE_FLAGS)
	$(PROFLAB) top --per-op tmp/bench-cpu.jfr

bench-mem:
	$(PROFLAB) profile --bench AllocBench -p impl=before -e alloc -o tmp/bench-mem.jfr $(PROFILE_FLAGS)
	$(PROFLAB) top --per-op tmp/bench-mem.jfr --event alloc

## perop-fib: the fib benchmark's recursive and memo under the profiler, then what changed per operation
## (proflab diff --normalize ops: "Fib.recursive 29 ms per op -> Fib.memo 0.44 us per op")
perop-fib:
	$(PROFLAB) profile --bench FibBench -p impl=recursive -e cpu -o tmp/bench-fib-recursive.jfr $(PROFILE_FLAGS)
	$(PROFLAB) profile --bench FibBench -p impl=memo -e cpu -o tmp/bench-fib-memo.jfr $(PROFILE_FLAGS)
	$(PROFLAB) diff --normalize ops -n 8 tmp/bench-fib-recursive.jfr tmp/bench-fib-memo.jfr

## run-cpu / run-mem: the seed's cmd/cpu_hot and cmd/mem_hot, recorded into tmp/cpu.jfr and tmp/mem.jfr
run-cpu:
	$(PROFLAB) profile cpu-hot -e cpu -d $(PROFILE_TIME) -o tmp/cpu.jfr $(PROFILE_FLAGS)

run-mem:
	$(PROFLAB) profile mem-hot -e alloc,live -d $(PROFILE_TIME) -o tmp/mem.jfr --jvm-args="$(GC_LOG) $(GC)" $(PROFILE_FLAGS)

## pprof-cpu / pprof-heap: the report of tmp/cpu.jfr / tmp/mem.jfr (recorded first when missing), then
## proflab view on :18080 / :18081
pprof-cpu:
	@test -f tmp/cpu.jfr || $(MAKE) --no-print-directory run-cpu
	$(PROFLAB) top tmp/cpu.jfr
	$(call view,tmp/cpu.jfr,18080)

pprof-heap:
	@test -f tmp/mem.jfr || $(MAKE) --no-print-directory run-mem
	$(PROFLAB) top tmp/mem.jfr --event live
	$(call view,tmp/mem.jfr,18081,--event live)

## pprof-fib-* / pprof-alloc-*: record a lab's before or after, print its top functions, then serve it
## in proflab view on the seed's port (fib 18090/18091, alloc 18092/18093; see VIEW above)
pprof-fib-before:
	$(PROFLAB) profile fib-before -e cpu -d $(PROFILE_TIME) -o tmp/fib-before-cpu.jfr $(PROFILE_FLAGS)
	$(PROFLAB) top tmp/fib-before-cpu.jfr
	$(call view,tmp/fib-before-cpu.jfr,18090)

pprof-fib-after:
	$(PROFLAB) profile fib-after -e cpu -d $(PROFILE_TIME) -o tmp/fib-after-cpu.jfr $(PROFILE_FLAGS)
	$(PROFLAB) top tmp/fib-after-cpu.jfr
	$(call view,tmp/fib-after-cpu.jfr,18091)

pprof-alloc-before:
	$(PROFLAB) profile alloc-before -e alloc -d $(PROFILE_TIME) -o tmp/alloc-before-alloc.jfr $(PROFILE_FLAGS)
	$(PROFLAB) top tmp/alloc-before-alloc.jfr --event alloc
	$(call view,tmp/alloc-before-alloc.jfr,18092,--event alloc)

pprof-alloc-after:
	$(PROFLAB) profile alloc-after -e alloc -d $(PROFILE_TIME) -o tmp/alloc-after-alloc.jfr $(PROFILE_FLAGS)
	$(PROFLAB) top tmp/alloc-after-alloc.jfr --event alloc
	$(call view,tmp/alloc-after-alloc.jfr,18093,--event alloc)

## trace: the timeline (the seed's go tool trace): the trace lab (long and short-lived threads, GC, a lock,
## waits) recorded by JDK Flight Recorder with thread, wait (>= 1ms), GC and safepoint events into
## tmp/trace.jfr, then served in proflab view on :18094 (timeline above the flame graph; see VIEW above)
TRACE_TIME ?= 6s
trace:
	$(PROFLAB) profile trace --timeline -d $(TRACE_TIME) -o tmp/trace.jfr $(PROFILE_FLAGS)
	$(call view,tmp/trace.jfr,18094)

## ---- the demo service (steps 3 and 6): /work/* load endpoints and /debug/pprof ---------------------------
##   make run-server                           proflab serve on 127.0.0.1:6060 (Ctrl-C stops)
##   make run-server BLOCK_PROFILE_RATE_NS=1000    the seed's run-server setting (with MUTEX_PROFILE_FRACTION=5): lock waits >= 1 us
##   make load-cpu LOAD_TIME=1m IMPL=after     /work/cpu under load (the seed's while-curl loop), then the summary
SERVER_URL   ?= http://127.0.0.1:6060
SERVER_FLAGS ?=
LOAD_TIME    ?= 30s
LOAD_FLAGS   ?=
IMPL         ?= before

.PHONY: run-server load-cpu load-contention

## run-server: the demo service (BLOCK_PROFILE_RATE_NS / MUTEX_PROFILE_FRACTION set its lock threshold)
run-server:
	$(call until-key,$(PROFLAB) serve $(SERVER_FLAGS))

## load-cpu / load-contention: the seed's curl loops against a running make run-server, bounded and measured
load-cpu:
	$(PROFLAB) load "$(SERVER_URL)/work/cpu?n=30&workers=2&impl=$(IMPL)" --concurrency 2 --duration $(LOAD_TIME) $(LOAD_FLAGS)

load-contention:
	$(PROFLAB) load "$(SERVER_URL)/work/contention?workers=4&iter=1000&holdNs=50000&impl=$(IMPL)" --concurrency 2 --duration $(LOAD_TIME) $(LOAD_FLAGS)

## my-service: Step 6's "your own service", examples/my-service/MyService.java: one route /hello that spins in
## MyService.spin, with the /debug/pprof endpoints mounted; run from its source by the JDK proflab found, against
## proflab.jar (Ctrl-C stops). Then e.g. make load-hello, and go tool pprof or proflab fetch on its /debug/pprof
MY_SERVICE_PORT ?= 16170

.PHONY: my-service load-hello

my-service:
	$(call until-key,$(PROFLAB) java --enable-native-access=ALL-UNNAMED -cp cli/target/proflab.jar examples/my-service/MyService.java $(MY_SERVICE_PORT))

## load-hello: load on a running make my-service
load-hello:
	$(PROFLAB) load "http://127.0.0.1:$(MY_SERVICE_PORT)/hello" --concurrency 2 --duration $(LOAD_TIME) $(LOAD_FLAGS)

## ---- Step 7: GC experiments ----------------------------------------------------------------------------
##   make gc-compare                           mem-hot (Alloc.allocate vs allocatePooled) under G1, Parallel, Serial,
##                                             ZGC, Shenandoah and the GOGC/GOMEMLIMIT counterparts: medians + charts
##   make gc-compare QUICK=1                   G1, Parallel, ZGC only (about 30 s)
##   make gc-compare GC_FLAGS="--config small='-XX:+UseSerialGC -Xmx32m' --hold"   your own configurations
##   make run-mem GC="-XX:+UseZGC -Xmx256m"   one run under one collector, with its heap profile (tmp/mem.jfr)
GC_FLAGS ?=
GC_CHARTS ?= tmp/gc

.PHONY: gc-compare

## gc-compare: the medians table (markdown) and SVG charts of heap over time and pauses in $(GC_CHARTS)
gc-compare:
	$(PROFLAB) gc $(if $(filter 1,$(QUICK)),--quick,) --format markdown --charts $(GC_CHARTS) $(GC_FLAGS)

## ---- Step 8: continuous profiling ---------------------------------------------------------------------
##   make run-server SERVER_FLAGS=--flight-recorder   the service with an always-on JFR recording (/debug/jfr?last=5m)
##   make collect                              every INTERVAL a CPU window of WINDOW and a heap snapshot into PROFILES (profiles/)
##   make collect INTERVAL=20s WINDOW=10s KEEP=30 COLLECT_FLAGS="--max-bytes 100MB --mutex"
##   make view-history                         the collected windows on a time axis, on :18095
## COLLECT_FLAGS: --max-bytes 1GB, --allocs --mutex --block --wall, --pyroscope URL --app NAME --label k=v
TARGET        ?= $(SERVER_URL)
INTERVAL      ?= 60s
WINDOW        ?= 30s
KEEP          ?= 100
PROFILES      ?= profiles
COLLECT_FLAGS ?=

.PHONY: collect view-history

## collect: the seed's scripts/collect-pprof.sh against a running make run-server (Ctrl-C stops)
collect:
	$(call until-key,$(PROFLAB) collect --target $(TARGET) --interval $(INTERVAL) --window $(WINDOW) --out $(PROFILES) --keep $(KEEP) $(COLLECT_FLAGS))

## view-history: what make collect wrote (profiles/), on a time axis; the newest window open, ranges merged or compared
view-history:
	$(call view,$(PROFILES),18095)

## ---- the final challenge: a batch job with three problems the guide does not name ------------------------
##   make challenge                 profile the original (cpu, alloc, lock) into tmp/challenge-before.jfr, say where
##                                  to look, then serve it in proflab view on :18096 (VIEW=0 skips the page)
##   make challenge-compare         your MySalesReport against the original: statistics and a verdict, then a profile
##                                  of your copy and the difference of the two on :18097 (VIEW=0 or no terminal: the command that opens it)
##   make challenge-solution        the same for the reference fix (the answers: docs/challenge-answers.md)
##   one report takes a tenth of a second or more: iterations of a second, two of them warm-up (CHALLENGE_BENCH_TIME)
CHALLENGE_TIME       ?= 10s
CHALLENGE_BENCH_TIME ?= 1s

.PHONY: challenge challenge-compare challenge-solution

challenge:
	$(PROFLAB) profile challenge-before -e cpu,alloc,lock -d $(CHALLENGE_TIME) -o tmp/challenge-before.jfr $(PROFILE_FLAGS)
	@printf '%s\n' "==> tmp/challenge-before.jfr: the original job's CPU, allocation and lock profiles. Where to look:" \
	  "    $(PROFLAB) top tmp/challenge-before.jfr                what runs; add --cum: under which of the job's methods" \
	  "    $(PROFLAB) top tmp/challenge-before.jfr --event alloc  what allocates the bytes" \
	  "    $(PROFLAB) top tmp/challenge-before.jfr --event lock   where the workers wait for a lock, and how long" \
	  "    $(PROFLAB) peek REGEX tmp/challenge-before.jfr         callers and callees; list REGEX FILE: the hot lines" \
	  "    then fix labs/src/main/java/dev/proflab/labs/challenge/MySalesReport.java and run make challenge-compare"
	$(call view,tmp/challenge-before.jfr,18096)

# the compare lab $(1) (the original against variant $(2)), then variant $(2)'s profile against the original's
define challenge-against
$(PROFLAB) compare $(1) --count $(BENCH_COUNT) --iterations $(BENCH_ITERATIONS) --warmup 2 --time $(CHALLENGE_BENCH_TIME) $(COMPARE_FLAGS)
@test -f tmp/challenge-before.jfr || $(MAKE) --no-print-directory challenge VIEW=0
$(PROFLAB) profile challenge-$(2) -e cpu,alloc,lock -d $(CHALLENGE_TIME) -o tmp/challenge-$(2).jfr $(PROFILE_FLAGS)
$(call view,tmp/challenge-$(2).jfr --base tmp/challenge-before.jfr,18097)
endef

challenge-compare:
	$(call challenge-against,challenge,mine)

challenge-solution:
	$(call challenge-against,challenge-solution,solution)
