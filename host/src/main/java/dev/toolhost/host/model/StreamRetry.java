package dev.toolhost.host.model;

/**
 * Sends a request again when its stream broke off before the response completed, as long as nothing of it
 * reached a listener that shows it (so no text is shown twice), up to the provider's {@code request_max_retries}.
 */
final class StreamRetry {
    private StreamRetry() {}

    interface Attempt {
        ModelResponse run(ModelStreamListener listener) throws ModelException, InterruptedException;
    }

    static ModelResponse run(int maxRetries, ModelStreamListener listener, Attempt attempt)
            throws ModelException, InterruptedException {
        for (int retry = 0; ; retry++) {
            Tracking tracking = new Tracking(listener);
            try {
                return attempt.run(tracking);
            } catch (ModelException e) {
                boolean shown = tracking.delivered && listener != ModelStreamListener.NONE;
                if (!e.streamBroken() || shown || retry >= maxRetries) {
                    throw retry == 0 ? e : new ModelException(e.getMessage() + " (after " + retry + " retries)");
                }
            }
        }
    }

    private static final class Tracking implements ModelStreamListener {
        private final ModelStreamListener target;
        boolean delivered;

        Tracking(ModelStreamListener target) {
            this.target = target;
        }

        @Override
        public void textDelta(String delta) {
            delivered = true;
            target.textDelta(delta);
        }

        @Override
        public void reasoningDelta(String delta) {
            delivered = true;
            target.reasoningDelta(delta);
        }
    }
}
