#!/bin/bash
# make layering: the layers of DESIGN §1 hold, in every direction.
#   core (src/core, include/driftscope): only its own headers and its
#        libraries; no curses, serial port or terminal; no printing, no
#        exit, no terminal escapes in what it writes;
#   ui:  never io or cli (the UI draws a snapshot; sources are io's);
#   io:  never ui or cli.
set -u
cd "$(dirname "$0")/.."
fail=0
bad() { echo "layering: $1"; fail=1; }
# includes "X/..." of another layer, or a library header, in the files given
grep_inc() { grep -nE "#include *[<\"]($1)" "${@:2}"; }
CORE=(src/core/*.c include/driftscope/*.h)
grep_inc 'io/|ui/|cli/|\.\./' "${CORE[@]}" && bad "src/core includes io, ui or cli"
grep_inc 'n?curses|ncursesw/|libserialport|termios' "${CORE[@]}" && bad "src/core includes a UI or serial header"
grep -nE '\b(printf|puts|fprintf|exit|abort)\(' src/core/*.c | grep -v 'snprintf\|vsnprintf\|StrBuf_printf' &&
  bad "src/core prints or exits"
grep -nE '"[^"]*\\(033|x1[bB]|e\[)' "${CORE[@]}" && bad "src/core writes terminal escapes (colours are cli's)"
grep_inc 'io/|cli/|\.\./' src/ui/*.c src/ui/*.h && bad "src/ui includes io or cli"
grep_inc 'libserialport|termios' src/ui/*.c src/ui/*.h && bad "src/ui includes a serial header"
grep_inc 'ui/|cli/|\.\./' src/io/*.c src/io/*.h && bad "src/io includes ui or cli"
grep_inc 'n?curses|ncursesw/' src/io/*.c src/io/*.h && bad "src/io includes curses"
[ $fail = 0 ] && echo "layering: ok (core: its headers only, no printing, exit or escapes; ui: no io or cli; io: no ui or cli)"
exit $fail
