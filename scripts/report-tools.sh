#!/bin/sh
# The tools the report's tests, `make screenshots` and `make demo` use, installed into
# .cache/tools without root: Graphviz (lays the diagram out) and Chromium (the browser the
# tests open the report in) from Debian's packages, extracted with dpkg -x, and Mermaid (its
# parser checks the diagram's Mermaid text) from the npm registry. A tool already on the
# machine is used as it is. Usage: scripts/report-tools.sh DIR
set -eu

DIR=$(mkdir -p "$1" && cd "$1" && pwd)
MERMAID=11.17.2
ROOT=$DIR/root
BIN=$DIR/bin
mkdir -p "$BIN" "$DIR/debs"

# Debian's packages (and what they need that the machine lacks), without installing them.
wanted=""
command -v dot >/dev/null 2>&1 || wanted="$wanted graphviz"
command -v chromium >/dev/null 2>&1 || wanted="$wanted chromium"
if [ -n "$wanted" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "report tools: no$wanted here and no apt-get to fetch them; install$wanted" >&2
    echo "(e.g. brew install graphviz chromium), then run make again." >&2
    exit 1
  fi
  # The machine's package lists, else lists of our own (apt-get update needs no root then).
  apt="-o Debug::NoLocking=1"
  if ! apt-get -s $apt install --no-install-recommends $wanted >"$DIR/plan.txt" 2>&1; then
    mkdir -p "$DIR/apt/lists/partial" "$DIR/apt/cache/archives/partial"
    apt="$apt -o Dir::State::Lists=$DIR/apt/lists -o Dir::Cache=$DIR/apt/cache"
    apt-get $apt update >"$DIR/apt.log" 2>&1 || { cat "$DIR/apt.log" >&2; exit 1; }
    apt-get -s $apt install --no-install-recommends $wanted >"$DIR/plan.txt" 2>&1 \
      || { cat "$DIR/plan.txt" >&2; exit 1; }
  fi
  packages=$(awk '/^Inst /{print $2}' "$DIR/plan.txt")
  (cd "$DIR/debs" && apt-get $apt download $packages >"$DIR/apt.log" 2>&1) \
    || { cat "$DIR/apt.log" >&2; exit 1; }
  for deb in "$DIR"/debs/*.deb; do dpkg -x "$deb" "$ROOT"; done
fi

libs=""
for lib in "$ROOT"/usr/lib/*-linux-gnu; do
  [ -d "$lib" ] && libs="$lib:$lib/pulseaudio:$lib/graphviz"
done

if [ -x "$ROOT/usr/bin/dot" ]; then
  gv=$(ls -d "$ROOT"/usr/lib/*-linux-gnu/graphviz)
  cat > "$BIN/dot" <<EOF
#!/bin/sh
export LD_LIBRARY_PATH="$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export GVBINDIR="$gv"
exec "$ROOT/usr/bin/dot" "\$@"
EOF
  chmod +x "$BIN/dot"
  "$BIN/dot" -c  # Graphviz's plugin list, written next to the plugins
else
  ln -sf "$(command -v dot)" "$BIN/dot"
fi

if [ -x "$ROOT/usr/lib/chromium/chromium" ]; then
  cat > "$BIN/chromium" <<EOF
#!/bin/sh
export LD_LIBRARY_PATH="$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
exec "$ROOT/usr/lib/chromium/chromium" "\$@"
EOF
  chmod +x "$BIN/chromium"
else
  ln -sf "$(command -v chromium)" "$BIN/chromium"
fi

# Mermaid's browser bundle holds its parser whole: the package's tarball, without its
# dependencies (the tests load the bundle into Chromium).
if [ ! -f "$DIR/mermaid/mermaid.min.js" ]; then
  mkdir -p "$DIR/mermaid"
  (cd "$DIR/mermaid" && npm pack --silent "mermaid@$MERMAID" >/dev/null \
    && tar -xzf "mermaid-$MERMAID.tgz" --strip-components=2 package/dist/mermaid.min.js \
    && rm "mermaid-$MERMAID.tgz")
fi

echo 'digraph { a -> b }' | "$BIN/dot" -Tsvg >/dev/null
"$BIN/chromium" --version
