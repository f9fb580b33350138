#!/bin/sh
# Turns a JSON file into C source defining policy_default_json[] and its
# length, so the built-in policy travels inside the binary (see common/policy.h).
set -eu
printf '/* generated from %s by policy/embed.sh; do not edit */\n#include <stddef.h>\n' "$1"
printf 'const char policy_default_json[] = {\n'
od -An -v -tx1 "$1" | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'
printf '0x00 };\nconst size_t policy_default_json_len = sizeof(policy_default_json) - 1;\n'
