import ConductorProfileCore
import Glibc

// A plain switch (`env NAME`, `use NAME` through the hook) is written and exits here, before the
// full program builds anything: see QuickSwitch.swift. Anything else continues below.
QuickSwitch.runIfPlain(CommandLine.argc, CommandLine.unsafeArgv, environ)

let context = Context.process()
let status = CLI.run(Array(CommandLine.arguments.dropFirst()), context: context)
context.flush()
exit(status)
