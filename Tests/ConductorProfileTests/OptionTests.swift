import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// Options are looked up by `Option`, never by a string: each case is an option some command declares,
/// and each declared option is a case (the spec is built from one).
@Suite struct OptionTests {
  @Test func everyOptionIsDeclaredBySomeCommand() {
    let declared = Set(Commands.all.flatMap { $0.options.map(\.name) })
    for option in Option.allCases {
      #expect(declared.contains(option.rawValue), "--\(option.rawValue) is an Option no command declares")
    }
    #expect(declared == Set(Option.allCases.map(\.rawValue)))
  }
}
