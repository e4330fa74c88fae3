#!/usr/bin/env bash
# Builds the libFuzzer targets for the FCS and CSV/TSV readers and runs them on the kept corpus.
#
#   Fuzz/run.sh [--no-merge] [fcs|csv|all] [seconds per target]     (default: all 60)
#
# TesseraBio and its dependencies are built from the main package with -sanitize=fuzzer,address (release,
# scratch path Fuzz/.build), then each harness in Fuzz/Sources is linked against their objects with swiftc:
# TesseraBio is not a product of the main package, so a package in Fuzz/ could not depend on it.
# Inputs that find new coverage are merged into Fuzz/Corpus/<FCS|Delimited> with -merge=1, which adds only
# those the kept corpus does not already cover (--no-merge leaves the corpus as it is, for CI). A crash, a
# sanitizer report, an input slower than 5 s or one needing more than 2 GB fails the run; its input is saved
# under Fuzz/.build/artifacts. Keep it as Fuzz/Corpus/<kind>/crash-<what> once the reader is fixed.
# Exits 0 with a note when the toolchain has no libFuzzer (e.g. Xcode's swiftc on macOS).
set -euo pipefail
cd "$(dirname "$0")/.."

merge=1
if [ "${1:-}" = "--no-merge" ]; then merge=0; shift; fi
which="${1:-all}"
seconds="${2:-60}"
case "$which" in fcs | csv | all) ;; *) echo "usage: Fuzz/run.sh [--no-merge] [fcs|csv|all] [seconds]" >&2; exit 2 ;; esac
case "$seconds" in '' | *[!0-9]*) echo "error: seconds must be a positive integer, got '$seconds'" >&2; exit 2 ;; esac

scratch=Fuzz/.build
mkdir -p "$scratch/bin" "$scratch/artifacts"

# libFuzzer ships with swift.org's Linux toolchains; without it there is nothing to run.
probe="$scratch/probe"
mkdir -p "$probe"
printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ d: UnsafePointer<UInt8>?, _ n: Int) -> CInt { 0 }\n' \
    >"$probe/probe.swift"
if ! swiftc -sanitize=fuzzer,address -parse-as-library "$probe/probe.swift" -o "$probe/probe" >"$probe/log" 2>&1; then
    echo "fuzz: skipped: this Swift toolchain cannot build with -sanitize=fuzzer (no libFuzzer):" >&2
    grep -v "Cannot export local symbol" "$probe/log" | head -n 3 >&2
    exit 0
fi

# One -sanitize=fuzzer,address: swiftc keeps only the last of several -sanitize= options, so SwiftPM's
# `--sanitize fuzzer --sanitize address` would build without coverage instrumentation.
build=(swift build -c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address)
echo "== fuzz: building TesseraBio with -sanitize=fuzzer,address (release, $scratch)"
if ! "${build[@]}" --target TesseraBio >"$scratch/build.log" 2>&1; then
    grep -E "error" "$scratch/build.log" | head -n 20 >&2
    echo "fuzz: building TesseraBio failed; full log $scratch/build.log" >&2
    exit 1
fi
bin=$("${build[@]}" --show-bin-path)
# Everything `--target TesseraBio` compiled: TesseraBio and the modules it depends on.
mapfile -t objects < <(find "$bin" -path "$bin/*.build/*.o" -o -path "$bin/Modules/*.o" | sort)
shims=$(find "$scratch/checkouts" -path '*_NumericsShims/include/module.modulemap' | head -n 1)

status=0
run_target() {
    local target=$1 corpus=$2
    echo "== fuzz: $target for ${seconds}s on $corpus"
    # ld.gold warns about every ASan helper symbol it cannot export; only failures matter.
    if ! swiftc -O -g -sanitize=fuzzer,address -parse-as-library -I "$bin/Modules" -Xcc -fmodule-map-file="$shims" \
        "Fuzz/Sources/$target/$target.swift" "${objects[@]}" -o "$scratch/bin/$target" >"$scratch/$target.link.log" 2>&1; then
        grep -v "Cannot export local symbol" "$scratch/$target.link.log" | head -n 20 >&2
        echo "fuzz: building $target failed" >&2
        status=1
        return
    fi
    local new="$scratch/new/$target"
    rm -rf "$new" && mkdir -p "$new"
    # The Swift runtime's backtracer hangs when it runs inside a libFuzzer/ASan process; libFuzzer reports instead.
    local options=(-timeout=5 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
                   "-artifact_prefix=$scratch/artifacts/$target-")
    if ! SWIFT_BACKTRACE=enable=no "$scratch/bin/$target" "${options[@]}" -max_total_time="$seconds" \
        "$new" "$corpus" >"$scratch/$target.log" 2>&1; then
        grep -E "ERROR|SUMMARY|Fatal error|Precondition|Test unit written|timeout" "$scratch/$target.log" | head -n 12 >&2
        echo "fuzz: $target FAILED; full log $scratch/$target.log, inputs in $scratch/artifacts" >&2
        status=1
        return
    fi
    grep -E "stat::number_of_executed_units|DONE" "$scratch/$target.log" || true
    if [ "$merge" -eq 1 ]; then
        SWIFT_BACKTRACE=enable=no "$scratch/bin/$target" "${options[@]}" -merge=1 "$corpus" "$new" \
            >"$scratch/$target.merge.log" 2>&1 || { echo "fuzz: merge failed, see $scratch/$target.merge.log" >&2; status=1; }
        grep -E "MERGE-OUTER: [0-9]+ new files" "$scratch/$target.merge.log" || true
    fi
    echo "fuzz: $target ok: corpus $(find "$corpus" -type f | wc -l) files, $(du -sk "$corpus" | cut -f1) KB"
}

if [ "$which" = fcs ] || [ "$which" = all ]; then run_target FuzzFCS Fuzz/Corpus/FCS; fi
if [ "$which" = csv ] || [ "$which" = all ]; then run_target FuzzDelimited Fuzz/Corpus/Delimited; fi
exit "$status"
