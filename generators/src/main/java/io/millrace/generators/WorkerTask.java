package io.millrace.generators;

import java.io.Serializable;

/** What a {@link WorkerProtocol.Run} ships: the user's code wrapped to take the run's input (null for a task). */
@FunctionalInterface
interface WorkerTask extends Serializable {

    Object run(Object input) throws Exception;
}
