// swift-tools-version: 6.1
import PackageDescription

// The GEMM micro-kernels alone are compiled for AVX2+FMA (Swift takes codegen target features from the
// clang importer flags); Tessera checks the CPU before calling them. -O keeps debug builds and tests from
// running an unoptimised matmul.
#if arch(x86_64)
let cpuKernelFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma", "-O"])]
#else
let cpuKernelFlags: [SwiftSetting] = [.unsafeFlags(["-O"])]
#endif

let package = Package(
    name: "Tessera",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Tessera", targets: ["Tessera"]),
        .library(name: "TesseraBio", targets: ["TesseraBio"]),
        .executable(name: "tessera", targets: ["tessera-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        // Without its default trait it needs no Foundation (the static binary must stay small).
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "TesseraCPUKernels", swiftSettings: cpuKernelFlags),
        .target(
            name: "Tessera",
            dependencies: ["TesseraCPUKernels", .product(name: "RealModule", package: "swift-numerics")],
            // sqrt never sets errno for us to read; without this, `squareRoot()` keeps a libm fallback
            // call per element and its loops do not vectorize.
            swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno"])],
            plugins: ["BuildInfo"]),
        // Records the commit the library is built from (BuildInfo.commit), before every build.
        .plugin(name: "BuildInfo", capability: .buildTool()),
        .target(name: "TesseraReport", dependencies: ["Tessera"]),
        .target(
            name: "TesseraBench",
            dependencies: [
                "Tessera", "TesseraReport", .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system", condition: .when(platforms: [.linux])),
            ]),
        .target(name: "TesseraBio", dependencies: ["Tessera", "TesseraReport"]),
        .target(name: "TesseraSLURM", dependencies: ["TesseraBench"]),
        // The op table (every op with its float64 reference) and the checks that run it: the test
        // suite and `tessera selftest` share it.
        .target(name: "TesseraSelfTest", dependencies: ["Tessera"]),
        .executableTarget(
            name: "tessera-cli",
            dependencies: [
                "Tessera", "TesseraBench", "TesseraBio", "TesseraSLURM", "TesseraSelfTest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "TesseraTests",
            dependencies: ["Tessera", "TesseraSelfTest", "TesseraTestSupport"],
            resources: [.copy("Fixtures")]),
        // What the test targets share: the XML well-formedness checker report tests parse pages with, the
        // test data lookup, and the byte mutator of the reader robustness tests.
        .target(name: "TesseraTestSupport", dependencies: ["Tessera"], path: "Tests/TesseraTestSupport"),
        .testTarget(name: "TesseraReportTests", dependencies: ["TesseraReport", "TesseraTestSupport"]),
        .testTarget(name: "TesseraBenchTests", dependencies: ["TesseraBench", "Tessera", "TesseraReport", "TesseraTestSupport"]),
        .testTarget(
            name: "TesseraBioTests", dependencies: ["TesseraBio", "Tessera", "TesseraTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TesseraSLURMTests", dependencies: ["TesseraSLURM", "TesseraBench", "Tessera", "TesseraTestSupport", "tessera-cli"]),
        // Runs the built `tessera` as a user would (the dependency makes sure it is built first).
        .testTarget(name: "tessera-cliTests", dependencies: ["Tessera", "TesseraBench", "TesseraTestSupport", "tessera-cli"]),
        .testTarget(name: "TesseraSelfTestTests", dependencies: ["TesseraSelfTest", "Tessera"]),
    ]
)
