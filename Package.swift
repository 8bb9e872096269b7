// swift-tools-version:6.1
// kgfuse: a neuro-symbolic diagnosis engine. See README.md for what each module and dependency is for.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "kgfuse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kgfuse", targets: ["kgfuse"]),
        .library(name: "RDF", targets: ["RDF"]),
        .library(name: "KnowledgeStore", targets: ["KnowledgeStore"]),
        .library(name: "Tensor", targets: ["Tensor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C at the edge: one shim per system library; only one Swift file per library imports it.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        .target(name: "Hashing", dependencies: ["COpenSSL"], swiftSettings: strictSettings),

        .target(name: "RDF", dependencies: ["CLibXML2"], swiftSettings: strictSettings),
        .target(
            name: "KnowledgeStore",
            dependencies: [
                "RDF", "Hashing",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings),
        .target(name: "Tensor", dependencies: ["CBLAS"], swiftSettings: strictSettings),
        .target(name: "Encoders", dependencies: ["Tensor"], swiftSettings: strictSettings),
        .target(name: "Embeddings", dependencies: ["Tensor", "KnowledgeStore"], swiftSettings: strictSettings),
        .target(name: "Rules", dependencies: ["RDF", "KnowledgeStore"], swiftSettings: strictSettings),
        .target(name: "Signals", dependencies: ["CFFTW", "CPNG"], swiftSettings: strictSettings),
        .target(name: "Fusion", dependencies: ["Tensor", "Encoders", "Embeddings", "Signals", "Hashing"], swiftSettings: strictSettings),
        .target(
            name: "Diagnosis",
            dependencies: ["RDF", "Hashing", "KnowledgeStore", "Rules", "Signals", "Tensor", "Encoders", "Embeddings", "Fusion"],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "kgfuse",
            dependencies: [
                "RDF", "Hashing", "KnowledgeStore", "Tensor", "Encoders", "Embeddings", "Rules", "Signals", "Fusion", "Diagnosis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "kgfuse-bench",
            dependencies: ["RDF", "Hashing", "KnowledgeStore", "Tensor", "Encoders", "Embeddings", "Rules", "Signals", "Fusion", "Diagnosis"],
            path: "Benchmarks/kgfuse-bench",
            swiftSettings: strictSettings),

        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .target(name: "TensorTestSupport", dependencies: ["Tensor"], path: "Tests/TensorTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "RDFTests", dependencies: ["RDF", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "KnowledgeStoreTests", dependencies: ["KnowledgeStore", "RDF", "Hashing", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TensorTestSupport", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "EncodersTests", dependencies: ["Encoders", "Tensor", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "EmbeddingsTests", dependencies: ["Embeddings", "Tensor", "KnowledgeStore", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SignalsTests", dependencies: ["Signals", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "FusionTests", dependencies: ["Fusion", "Diagnosis", "Tensor", "Signals", "TestSupport", "TensorTestSupport"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis", "Rules", "RDF", "KnowledgeStore", "Signals", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "RDF", "KnowledgeStore", "TestSupport"], swiftSettings: strictSettings),
    ]
)
