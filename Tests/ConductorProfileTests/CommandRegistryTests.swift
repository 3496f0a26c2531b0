import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// `Commands.spec(named:)` finds a command by its `CommandName` without building every spec: each
/// name must be the name its spec gives itself, or dispatch and help would disagree.
@Suite struct CommandRegistryTests {
  @Test func everyNameIsItsSpecsName() {
    for name in CommandName.allCases {
      #expect(CommandName(rawValue: name.rawValue) == name)
      #expect(name.spec.name == name.rawValue)
      #expect(Commands.spec(named: name.rawValue)?.name == name.rawValue)
    }
    #expect(Commands.all.map(\.name) == CommandName.allCases.map(\.rawValue))
    #expect(Commands.spec(named: "nope") == nil)
    #expect(CommandName(rawValue: "") == nil && CommandName(rawValue: "USE") == nil)
    #expect(Commands.spec(named: "defaultCommand") == nil)
  }
}
