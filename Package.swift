// swift-tools-version: 6.1
import PackageDescription

// No package dependencies, by design: the program is a small static binary that starts in about a
// millisecond (README.md, "Design"). One target a layer; each may import only the layers below it, so the
// compiler keeps the layering (README.md, "Architecture in two minutes"):
//
//   conductor-profile → ProfileCommands → ConductorNetwork → ProfileModel → ShellOutput
//                                                                        ↘ Platform (the C library)
let frontend: [SwiftSetting] = [
  // bench/history.md ("The frontend flag, measured again"): without it a 1-profile switch costs 543,081
  // instructions instead of 364,412, over its budget; first measured in the fifth round.
  .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])
]

let package = Package(
  name: "conductor-profile",
  products: [
    .executable(name: "conductor-profile", targets: ["conductor-profile"])
  ],
  targets: [
    // The only target that sees the C library (no `@_exported import`): files, modes, locks and atomic
    // writes, the one bounded reader, the one child runner and PATH lookup, the terminal, hardening.
    .target(name: "Platform", swiftSettings: frontend),
    // Writes a list of name=value changes as bash, zsh, fish or sh code, or as dotenv; quotes words for
    // messages; embeds the hook and completion scripts (Hooks/, Completions/: links to shell/). Knows no profile.
    .target(
      name: "ShellOutput",
      resources: [
        .embedInCode("Hooks/conductor-profile.bash"), .embedInCode("Hooks/conductor-profile.zsh"),
        .embedInCode("Hooks/conductor-profile.fish"), .embedInCode("Completions/completion.bash"),
        .embedInCode("Completions/completion.zsh"), .embedInCode("Completions/completion.fish"),
      ],
      swiftSettings: frontend),
    // The model and the store: profile values and their validation, the guard's rules, the store's one
    // reader and writer, secret stores, directory trust, the switch plan, the process's context, the
    // read limits. The C library only through Platform's API.
    .target(name: "ProfileModel", dependencies: ["ShellOutput", "Platform"], swiftSettings: frontend),
    // Talks to a Conductor server: curl as the transport, token minting and the token cache.
    .target(name: "ConductorNetwork", dependencies: ["ProfileModel"], swiftSettings: frontend),
    // The command line: arguments parsed into a command's options, help, completion answers, one file a command.
    .target(name: "ProfileCommands", dependencies: ["ConductorNetwork"], swiftSettings: frontend),
    // A few lines: run the command line with the real process environment and exit with its code.
    .executableTarget(name: "conductor-profile", dependencies: ["ProfileCommands"], swiftSettings: frontend),
    .testTarget(
      name: "ConductorProfileTests",
      dependencies: ["Platform", "ShellOutput", "ProfileModel", "ConductorNetwork", "ProfileCommands"]),
  ]
)
