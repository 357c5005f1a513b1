#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt already uses, for debootstrap. The project names
# no mirror of its own: the address comes only from the machine's apt sources, i.e.
# APT_DIR/sources.list and APT_DIR/sources.list.d/*.list (one-line format) and
# APT_DIR/sources.list.d/*.sources (deb822).
#
#   scripts/apt-mirror.sh [SUITE] [APT_DIR]        (defaults: bookworm, /etc/apt)
#
# Preference: the first enabled "deb" entry for SUITE itself with the component main; else the
# first "deb" entry whose URI path ends in /debian (a Debian archive serves every suite).
# Exit status 1, nothing printed, when there is none. Sourcing this file defines apt_mirror.

apt_mirror() {
  local suite="${1:-bookworm}" dir="${2:-/etc/apt}" f
  local files=()
  [ -f "$dir/sources.list" ] && files+=("$dir/sources.list")
  for f in "$dir"/sources.list.d/*.list "$dir"/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 1
  awk -v suite="$suite" '
    function usable(uri) { return uri ~ /^(https?|file):\/\// }
    function consider(uri, s, components) {
      sub(/\/+$/, "", uri)
      if (!usable(uri)) return
      if (best == "" && s == suite && (" " components " ") ~ / main /) best = uri
      if (archive == "" && uri ~ /^[a-z]+:\/\/[^ ]*\/debian$/) archive = uri
    }
    # deb822 stanza (*.sources): every URI with every suite, unless Enabled: no
    function flush(   n, m, i, j, uris, suites) {
      if ((" " f["types"] " ") ~ / deb / && tolower(f["enabled"]) != "no") {
        n = split(f["uris"], uris, /[ \t]+/)
        for (i = 1; i <= n; i++) {
          if (uris[i] == "") continue
          m = split(f["suites"], suites, /[ \t]+/)
          for (j = 1; j <= m; j++) if (suites[j] != "") consider(uris[i], suites[j], f["components"])
        }
      }
      split("", f); key = ""
    }
    FNR == 1 { if (deb822) flush(); deb822 = FILENAME ~ /\.sources$/ }
    deb822 {
      if ($0 ~ /^#/) next
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^[ \t]/) { if (key != "") f[key] = f[key] " " $0; next }  # continuation line
      if (match($0, /^[A-Za-z0-9-]+:/)) {
        key = tolower(substr($0, 1, RLENGTH - 1)); v = substr($0, RLENGTH + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", v); f[key] = v
      }
      next
    }
    # one-line format: deb [options] uri suite component...
    {
      sub(/#.*/, "")
      if ($1 != "deb") next
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      components = ""
      for (j = i + 2; j <= NF; j++) components = components " " $j
      consider($i, $(i + 1), components)
    }
    END {
      if (deb822) flush()
      if (best != "") print best; else if (archive != "") print archive; else exit 1
    }
  ' "${files[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  apt_mirror "$@"
fi
