/**
 * The actor runtime behind the API: cells, lanes (dispatcher threads over Disruptor rings), the node (ids,
 * live refs, resolution), and the seams where the cross-process transport plugs in ({@link
 * io.millrace.actors.internal.RemoteTransport}, {@link io.millrace.actors.internal.LaneIdler},
 * {@link io.millrace.actors.internal.ReceptionistBacking}, {@link io.millrace.actors.internal.RemoteWatch}). Not API: public only where the API package needs it.
 */
package io.millrace.actors.internal;
