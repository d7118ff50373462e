package dev.proflab.cli;

import java.lang.management.ManagementFactory;

/** A JVM with two threads in a deadlock, for {@code proflab threads}: prints "deadlocked" once they are. */
public final class DeadlockFixture {

    private static final Object LEFT = new Object();
    private static final Object RIGHT = new Object();

    private DeadlockFixture() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread a = new Thread(() -> lockBoth(LEFT, RIGHT), "deadlock-a");
        Thread b = new Thread(() -> lockBoth(RIGHT, LEFT), "deadlock-b");
        a.setDaemon(true);
        b.setDaemon(true);
        a.start();
        b.start();
        while (ManagementFactory.getThreadMXBean().findDeadlockedThreads() == null) {
            Thread.sleep(10);
        }
        System.out.println("deadlocked");
        Thread.sleep(Long.parseLong(args[0]) * 1000);
    }

    private static void lockBoth(Object first, Object second) {
        synchronized (first) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (second) {
                System.out.println("never");
            }
        }
    }
}
