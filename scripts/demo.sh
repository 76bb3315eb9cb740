#!/usr/bin/env bash
# The greenfield journey on the local sandbox, as far as orgstack goes today.
set -euo pipefail

work="${ORGSTACK_DEMO_DIR:-.demo}"
rm -rf "$work"
mkdir -p "$work"
export ORGSTACK_STATE_DIR="$work/.orgstack"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
cleanup() { orgstack sandbox stop || true; }
trap cleanup EXIT

step "1. Start the sandbox: an empty AWS management account on 127.0.0.1"
eval "$(orgstack sandbox start)"
orgstack sandbox status
python - <<'PY'
import boto3
print("caller:", boto3.client("sts").get_caller_identity()["Arn"], "(sandbox credentials)")
PY

step "2. orgstack init --blueprint minimal: write a commented spec"
orgstack init --blueprint minimal --name acme --domain acme.example -o "$work/orgstack.yaml"

step "3. orgstack validate: AWS limits and best practices, offline"
orgstack validate -f "$work/orgstack.yaml"

step "4. The spec, as orgstack reads it"
orgstack show -f "$work/orgstack.yaml"
echo
echo "First lines of $work/orgstack.yaml:"
sed -n '1,40p' "$work/orgstack.yaml"

step "5. Stop the sandbox"
trap - EXIT
orgstack sandbox stop
orgstack sandbox status
echo
echo "Done. The spec and its policies are in $work/."
