package io.virtwise.probe.core;

/** Told about each step of a probe run, for a progress bar; the probe itself prints nothing. */
public interface ProbeProgress {

	ProbeProgress NONE = new ProbeProgress() {
		@Override
		public void begin(int steps) {
		}

		@Override
		public void step(String label) {
		}

		@Override
		public void end() {
		}
	};

	/** About how many steps the plan has; the count may grow or shrink a little as it runs. */
	void begin(int steps);

	void step(String label);

	void end();
}
