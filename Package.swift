// swift-tools-version: 6.1
import PackageDescription

// No package dependencies, by design: the program is a small static binary that
// starts in about a millisecond. See README.md ("Design").
let package = Package(
  name: "conductor-profile",
  products: [
    .executable(name: "conductor-profile", targets: ["conductor-profile"])
  ],
  targets: [
    // Everything: model, store, shell rendering, guard, commands. Imports Glibc only.
    // The flag: the code gets the type metadata of a generic type (a `[String: JSON]`, an array of a
    // struct) from its metadata accessor, not by asking the runtime to demangle the type's name, which
    // also looks up each conformance (`String: Hashable`) by scanning every conformance record in the
    // binary. That was over a third of the instructions of a switch. See docs/benchmarks.md.
    .target(
      name: "ConductorProfileCore",
      swiftSettings: [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]),
    // A few lines: run the CLI with the real process environment and exit with its code.
    .executableTarget(name: "conductor-profile", dependencies: ["ConductorProfileCore"]),
    .testTarget(name: "ConductorProfileTests", dependencies: ["ConductorProfileCore"]),
  ]
)
