import ConductorProfileCore

let context = Context.process()
let status = CLI.run(Array(CommandLine.arguments.dropFirst()), context: context)
context.flush()
exit(status)
