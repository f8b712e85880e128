package io.millrace.shm;

import java.util.regex.Pattern;

/** Validates the names of regions and of the structures inside them. */
final class Names {
    /** Longest region name: it becomes a file name, with a suffix. */
    static final int MAX_REGION_NAME = 100;
    /** Longest ring or atomic name: it is stored in the region's directory. */
    static final int MAX_STRUCTURE_NAME = 39;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]+");

    private Names() {
    }

    /** Returns {@code name} when it is a valid region name, else throws {@code RegionException(INVALID_NAME)}. */
    static String region(String name) {
        return check("region", name, MAX_REGION_NAME);
    }

    /** Returns {@code name} when it is a valid structure name, else throws {@code RegionException(INVALID_NAME)}. */
    static String structure(String name) {
        return check("structure", name, MAX_STRUCTURE_NAME);
    }

    private static String check(String what, String name, int maxLength) {
        String problem = null;
        if (name == null || name.isEmpty()) {
            problem = "is empty";
        } else if (name.length() > maxLength) {
            problem = "is " + name.length() + " characters long, more than the " + maxLength + " allowed";
        } else if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            problem = "contains a path separator";
        } else if (name.contains("..")) {
            problem = "contains '..'";
        } else if (name.startsWith(".")) {
            problem = "starts with '.'";
        } else if (!ALLOWED.matcher(name).matches()) {
            problem = "has characters other than letters, digits, '.', '_' and '-'";
        }
        if (problem != null) {
            throw new RegionException(RegionException.Reason.INVALID_NAME,
                    "invalid " + what + " name '" + name + "': it " + problem);
        }
        return name;
    }
}
