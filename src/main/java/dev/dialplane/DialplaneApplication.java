package dev.dialplane;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class DialplaneApplication {

    static final String SCHEDULER_PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    /**
     * The fewest carrier threads for virtual threads. A virtual thread blocked on a monitor while
     * the VM loads a class for it still pins its carrier (JDK-8338813 lifted pinning for
     * {@code synchronized}, not for VM frames). The default, one carrier per CPU, lets two such
     * threads hang a 2-CPU node for good: the thread holding the monitor they wait for (the Boot
     * jar's, during a lazy scan) never gets a carrier again. Seen on the campaign benchmark: its
     * first concurrent dials, loading OkHttp classes, met springdoc's first scan.
     */
    static final int MIN_CARRIERS = 16;

    public static void main(String[] args) {
        // before anything starts a virtual thread: the scheduler reads it once; an operator's own setting wins
        if (System.getProperty(SCHEDULER_PARALLELISM) == null) {
            System.setProperty(
                    SCHEDULER_PARALLELISM,
                    Integer.toString(Math.max(MIN_CARRIERS, Runtime.getRuntime().availableProcessors())));
        }
        SpringApplication.run(DialplaneApplication.class, args);
    }
}
