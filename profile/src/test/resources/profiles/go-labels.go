// Writes a small CPU profile whose samples carry pprof labels: the fixture go-labels.pb.gz of proflab's tests.
// Two tenants share the work 2:1 (tenant=a spins twice as long as tenant=b); each on its own route.
//
//	go run main.go go-labels.pb.gz
package main

import (
	"context"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

var sink uint64

//go:noinline
func spin(d time.Duration) {
	end := time.Now().Add(d)
	x := uint64(1)
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sink += x
}

//go:noinline
func handleA() { spin(800 * time.Millisecond) }

//go:noinline
func handleB() { spin(400 * time.Millisecond) }

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go pprof.Do(context.Background(), pprof.Labels("tenant", "a", "route", "/orders"), func(context.Context) {
		defer wg.Done()
		handleA()
	})
	go pprof.Do(context.Background(), pprof.Labels("tenant", "b", "route", "/users"), func(context.Context) {
		defer wg.Done()
		handleB()
	})
	wg.Wait()
	pprof.StopCPUProfile()
}
