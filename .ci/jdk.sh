# Sourced by ./specula, ./test and .ci/run: sets SPECULA_JDK to a JDK >= 25 or exits with a clear message.
# Order: JAVA_HOME when new enough, else the newest JDK >= 25 under /usr/lib/jvm (Linux) or
# /Library/Java/JavaVirtualMachines (macOS), else `java` on the PATH when new enough.

specula_jdk_major() { # $1 = JDK home; prints its feature version (e.g. 25) or nothing
  local home="$1" v=""
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n1)"
  fi
  if [ -z "$v" ]; then
    v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  fi
  v="${v#1.}"
  printf '%s' "${v%%[.+-]*}"
}

specula_find_jdk() {
  local need=25 best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ]; then
    major="$(specula_jdk_major "$JAVA_HOME")"
    if [ -n "$major" ] && [ "$major" -ge "$need" ] 2>/dev/null; then SPECULA_JDK="$JAVA_HOME"; return 0; fi
  fi
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] || continue
    major="$(specula_jdk_major "$home")"
    if [ -n "$major" ] && [ "$major" -ge "$need" ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$home"; best_major="$major"
    fi
  done
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    home="$(cd "$(dirname "$(readlink -f "$(command -v java)")")/.." && pwd)"
    major="$(specula_jdk_major "$home")"
    if [ -n "$major" ] && [ "$major" -ge "$need" ] 2>/dev/null; then best="$home"; fi
  fi
  if [ -z "$best" ]; then
    echo "specula: needs a JDK $need or newer (JAVA_HOME=${JAVA_HOME:-unset}, none found under /usr/lib/jvm) —" \
         "install Temurin $need from https://adoptium.net and set JAVA_HOME to it" >&2
    exit 2
  fi
  SPECULA_JDK="$best"
}
