package io.millrace.shm;

/**
 * A process attached to a region, as seen at one moment.
 *
 * @param slot              its slot in the region's participant table
 * @param pid               its process id
 * @param alive             whether a process with that pid and start time exists now
 * @param heartbeatAgeMillis milliseconds since it last wrote its heartbeat (every 100 ms while attached)
 * @param attachedMillis    when it attached, in epoch milliseconds
 */
public record ParticipantInfo(int slot, long pid, boolean alive, long heartbeatAgeMillis, long attachedMillis) {
}
