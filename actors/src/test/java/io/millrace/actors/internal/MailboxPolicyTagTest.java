package io.millrace.actors.internal;

import io.millrace.actors.MailboxFullPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailboxPolicyTagTest {

    private static final MailboxFullPolicy SENDERS = MailboxFullPolicy.waitUpTo(Duration.ofSeconds(1));

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void shouldCarryEachPolicyInAUidAndKeepTheUidsNumber(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 1000; i++) {
            long number = random.nextLong(1L << MailboxPolicyTag.NUMBER_BITS) | (random.nextBoolean() ? 1L << 62 : 0);
            long millis = random.nextLong(MailboxPolicyTag.MAX_WAIT_MILLIS + 1);
            MailboxFullPolicy policy = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> MailboxFullPolicy.failFast();
                default -> MailboxFullPolicy.waitUpTo(Duration.ofMillis(millis));
            };
            long uid = MailboxPolicyTag.tag(number, policy);
            assertThat(uid).as("positive").isPositive();
            assertThat(uid & MailboxPolicyTag.NUMBER_MASK).isEqualTo(number & MailboxPolicyTag.NUMBER_MASK);
            assertThat(MailboxPolicyTag.of(uid, SENDERS)).isEqualTo(policy == null ? SENDERS : policy);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 999_999, 1_000_001})
    void shouldRoundAWaitUpToTheNextMillisecond(long nanos) {
        long uid = MailboxPolicyTag.tag(7, MailboxFullPolicy.waitUpTo(Duration.ofNanos(nanos)));
        assertThat(MailboxPolicyTag.of(uid, SENDERS))
                .isEqualTo(MailboxFullPolicy.waitUpTo(Duration.ofMillis((nanos + 999_999) / 1_000_000)));
    }

    @ParameterizedTest
    @ValueSource(longs = {65_535, 65_536, 3_600_000})
    void shouldCapAWaitAtTheLongestItCarries(long millis) {
        long uid = MailboxPolicyTag.tag(7, MailboxFullPolicy.waitUpTo(Duration.ofMillis(millis)));
        assertThat(MailboxPolicyTag.of(uid, SENDERS)).isEqualTo(MailboxFullPolicy.waitUpTo(Duration.ofMillis(
                Math.min(millis, MailboxPolicyTag.MAX_WAIT_MILLIS))));
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 44, 1L << 60, -1})
    void shouldRefuseAUidWhoseNumberOverflowsItsBits(long uid) {
        assertThatThrownBy(() -> MailboxPolicyTag.tag(uid, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("uid=" + Long.toHexString(uid));
    }
}
