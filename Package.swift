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
    // The shell hooks are embedded from shell/ (the files in Hooks/ are links to them): they exist once.
    .target(
      name: "ConductorProfileCore",
      resources: [
        .embedInCode("Hooks/conductor-profile.bash"), .embedInCode("Hooks/conductor-profile.zsh"),
        .embedInCode("Hooks/conductor-profile.fish"),
      ],
      swiftSettings: [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]),
    // A few lines: run the CLI with the real process environment and exit with its code.
    .executableTarget(name: "conductor-profile", dependencies: ["ConductorProfileCore"]),
    .testTarget(name: "ConductorProfileTests", dependencies: ["ConductorProfileCore"]),
  ]
)
