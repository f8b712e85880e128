package io.millrace.actors.internal;

import io.millrace.actors.InvalidActorNameException;

/** The rules for actor names, in one place. */
final class ActorNames {

    private static final int MAX_LENGTH = 255;

    private ActorNames() {
    }

    /** @throws InvalidActorNameException naming what is wrong */
    static void validate(String name) {
        if (name == null) {
            throw new InvalidActorNameException("name=null");
        }
        if (name.isEmpty()) {
            throw new InvalidActorNameException("name='' must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidActorNameException("name=" + name.substring(0, 20) + "... is longer than "
                    + MAX_LENGTH + " characters");
        }
        if (name.charAt(0) == '$') {
            throw new InvalidActorNameException("name=" + name + " must not start with '$' (kept for generated names)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidActorNameException("name=" + name + " must not contain '" + c
                        + "' ('/', '#' and whitespace are not allowed)");
            }
        }
    }

    /** The generated name for the {@code n}th anonymous child ({@code $a}, ..., {@code $z}, {@code $ba}, ...). */
    static String anonymous(long n) {
        StringBuilder sb = new StringBuilder();
        long v = n;
        do {
            sb.append((char) ('a' + (v % 26)));
            v /= 26;
        } while (v > 0);
        return "$" + sb.reverse();
    }
}
