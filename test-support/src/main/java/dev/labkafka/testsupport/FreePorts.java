package dev.labkafka.testsupport;

/**
 * Ports for what tests start themselves: see {@link dev.labkafka.processes.FreePorts}.
 */
public final class FreePorts {

	private FreePorts() {
	}

	/** A loopback port nothing listens on now. */
	public static int next() {
		return dev.labkafka.processes.FreePorts.next();
	}

}
