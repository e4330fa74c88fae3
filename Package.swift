// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Tessera",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Tessera", targets: ["Tessera"]),
        .executable(name: "tessera", targets: ["tessera-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .target(
            name: "Tessera",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "TesseraBench", dependencies: ["Tessera"]),
        .executableTarget(
            name: "tessera-cli",
            dependencies: [
                "Tessera", "TesseraBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "TesseraTests",
            dependencies: ["Tessera"],
            resources: [.copy("Fixtures")]),
    ]
)
