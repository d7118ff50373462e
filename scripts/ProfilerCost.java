// The CPU an in-process async-profiler costs a compute-bound program (docs/benchmarks.md): two threads compute
// fib(27) REPS times each; rounds alternate between no profiler and each MODE (async-profiler start options;
// FILE is replaced by a temporary file), and print the median wall and process CPU time per mode.
//   java --enable-native-access=ALL-UNNAMED -cp ~/.m2/repository/tools/profiler/async-profiler/4.5/async-profiler-4.5.jar \
//     scripts/ProfilerCost.java "none;event=itimer,interval=10ms,jfr,file=FILE" 12 4000
import one.profiler.AsyncProfiler;
import java.lang.management.ManagementFactory;
import java.util.*;
import java.util.concurrent.*;
public class ProfilerCost {
  static int fib(int n){ return n<2?n:fib(n-1)+fib(n-2); }
  static volatile int sink;
  static double[] work(int threads, int reps) throws Exception {
    var os=(com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
    long c0=os.getProcessCpuTime(), t0=System.nanoTime();
    Thread[] ts=new Thread[threads];
    for(int i=0;i<threads;i++){ ts[i]=new Thread(()->{ int s=0; for(int r=0;r<reps;r++) s+=fib(27); sink=s;}); ts[i].start(); }
    for(Thread t:ts) t.join();
    return new double[]{(System.nanoTime()-t0)/1e6,(os.getProcessCpuTime()-c0)/1e6};
  }
  public static void main(String[] a) throws Exception {
    AsyncProfiler ap=AsyncProfiler.getInstance();
    String[] modes=a[0].split(";");
    int rounds=Integer.parseInt(a[1]); int reps=Integer.parseInt(a[2]);
    for(int i=0;i<3;i++) work(2,reps);
    Map<String,List<double[]>> res=new LinkedHashMap<>();
    for(int r=0;r<rounds;r++){
      List<String> order=new ArrayList<>(Arrays.asList(modes)); if(r%2==1) Collections.reverse(order);
      for(String m:order){
        if(!m.equals("none")) ap.execute("start,"+m.replace("FILE", System.getProperty("java.io.tmpdir") + "/profiler-cost.jfr"));
        double[] w=work(2,reps);
        if(!m.equals("none")) ap.execute("stop");
        res.computeIfAbsent(m,k->new ArrayList<>()).add(w);
      }
    }
    for(var e:res.entrySet()){
      double[] wall=e.getValue().stream().mapToDouble(x->x[0]).sorted().toArray();
      double[] cpu=e.getValue().stream().mapToDouble(x->x[1]).sorted().toArray();
      System.out.printf("%-50s wall med %8.1f ms  cpu med %8.1f ms  (wall %s)%n", e.getKey(), wall[wall.length/2], cpu[cpu.length/2], Arrays.toString(Arrays.stream(wall).mapToLong(Math::round).toArray()));
    }
  }
}
