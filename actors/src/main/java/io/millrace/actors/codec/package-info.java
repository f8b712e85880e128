/**
 * The actors' message codec: {@link io.millrace.actors.codec.MessageCodec} encodes records, sealed interfaces of
 * records, enums, JDK value types, collections and actor refs straight into a ring's claimed slice and decodes them
 * in place; {@link io.millrace.actors.codec.SharedTypeRegistry} lets the processes of a base directory agree on the
 * small ids that name classes on the wire; {@link io.millrace.actors.codec.Codec} plugs in a serializer of one's own.
 */
package io.millrace.actors.codec;
