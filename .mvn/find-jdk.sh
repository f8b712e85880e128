# Sourced by ./mvnw and ./millrace: points JAVA_HOME at a JDK 25 or explains what to install.
# Order: JAVA_HOME if it is a JDK 25, then /usr/lib/jvm/*25*, then the `java` on PATH.
millrace_jdk_major() { # prints the feature version of the JDK whose home is $1
  [ -x "$1/bin/java" ] || return 1
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
millrace_find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ "$(millrace_jdk_major "$JAVA_HOME")" = "25" ]; then return 0; fi
  local noglob=0; case $- in *f*) noglob=1; set +f ;; esac   # ./mvnw runs with set -f
  for candidate in /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(millrace_jdk_major "$candidate")" = "25" ]; then
      [ "$noglob" = 1 ] && set -f
      export JAVA_HOME="$candidate"; return 0
    fi
  done
  [ "$noglob" = 1 ] && set -f
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ "$(millrace_jdk_major "$candidate")" = "25" ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  cat >&2 <<'MSG'
Millrace needs a JDK 25 and found none.
  Looked at: $JAVA_HOME, /usr/lib/jvm/*25*, and the javac on PATH.
  Install one, for example Eclipse Temurin 25 (package temurin-25-jdk from packages.adoptium.net)
  or OpenJDK 25 (package openjdk-25-jdk), then run again, or set JAVA_HOME=/path/to/jdk-25.
MSG
  return 1
}
millrace_find_jdk || exit 1
