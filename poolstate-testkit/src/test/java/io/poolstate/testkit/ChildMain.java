package io.poolstate.testkit;

/**
 * A child process for {@link PoolstateProcessTest}: prints what it was given and how it runs, then either exits
 * with a code ({@code exit N}) or waits to be stopped, saying so from a shutdown hook.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("java.home=" + System.getProperty("java.home"));
        System.out.println("probe=" + System.getProperty("poolstate.testkit.probe"));
        System.out.println("home=" + System.getProperty("poolstate.home"));
        System.err.println("on stderr");
        if (args.length == 2 && args[0].equals("exit")) {
            System.out.println("exiting");
            System.exit(Integer.parseInt(args[1]));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutting down")));
        System.out.println("ready " + String.join(" ", args));
        Thread.sleep(Long.MAX_VALUE);
    }
}
