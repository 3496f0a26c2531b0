import ProfileModel
import ShellOutput

/// `completions bash|zsh|fish`: a completion script generated from the command specs (so it cannot drift
/// from them), and the hidden `__complete-profiles` the scripts call to read profile names when completing.
enum CompletionCommands {
  static let spec = CommandSpec(
    .completions, usage: "bash|zsh|fish", summary: "Print a shell completion script.",
    arguments: [ArgumentSpec("SHELL", "bash, zsh or fish.")], positionals: 1...1,
    discussion: """
      Completes commands, options, shells and formats, and profile names read from the store as you type.
      Not needed with the shell hook: init prints the completions too. Without it:
        bash: add to ~/.bashrc:                   eval "$(conductor-profile completions bash)"
        zsh:  add to ~/.zshrc, after compinit:    eval "$(conductor-profile completions zsh)"
        fish: conductor-profile completions fish > ~/.config/fish/completions/conductor-profile.fish
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `completions`' command line, parsed once.
  struct Options {
    let shell: ShellSyntax

    init(_ invocation: Invocation) throws(Failure) {
      let word = invocation.positionals[0]
      guard let shell = ShellSyntax(rawValue: word), shell != .sh else {
        throw invocation.usageError(
          "unknown shell \(quoted(word)); use bash, zsh or fish", suggestion: Suggest.nearest(word, in: shells))
      }
      self.shell = shell
    }
  }

  /// Prints the profile names, one a line; prints nothing (exit 0) when the store cannot be read.
  static let profiles = CommandSpec(
    .completeProfiles, usage: "", summary: "", positionals: 0...Int.max,
    run: { _, context throws(Failure) in
      guard let file = try? context.store(), let store = try? file.loadIfPresent() else { return }
      // Only valid names, as literal words: a hand-edited store's `$(cmd)` is never offered.
      for name in store.names where (try? ProfileName(validating: name)) != nil { context.emit(name + "\n") }
    })

  static let shells = ["bash", "zsh", "fish"]

  /// The completion script for `shell` (nil for sh), as `completions` prints it and `init` includes it.
  static func script(for shell: ShellSyntax) -> String? {
    switch shell {
    case .bash: Script.bash()
    case .zsh: Script.zsh()
    case .fish: Script.fish()
    case .sh: nil
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    if let script = script(for: options.shell) { context.emit(script) }
  }

  /// What a command's positional arguments are, for completion. Commands not named here complete no positionals.
  enum Positionals: String {
    /// The first is a profile name.
    case profile
    /// Every one is a profile name.
    case profiles
    /// A profile name or `-` (the previous profile).
    case use
    /// A profile name, then `--` and a command with its arguments.
    case exec
    /// bash, zsh or fish.
    case shells
    /// conductor-cli, env or file; then a file for `file`.
    case `import`
    /// A command name.
    case commands
    /// A directory (`allow`, `deny`).
    case directory
  }

  static let positionals: [String: Positionals] = [
    "set": .profile, "show": .profile, "rename": .profile, "copy": .profile, "default": .profile, "env": .profile,
    "token": .profile, "verify": .profile, "ui": .profile, "remove": .profiles, "export": .profiles, "use": .use, "exec": .exec,
    "init": .shells, "completions": .shells, "import": .import, "help": .commands,
    "allow": .directory, "deny": .directory,
  ]

  /// Values of options that take one from a fixed list (or from the file system).
  static func optionValues(_ option: String) -> [String]? {
    switch option {
    case "shell": return ShellSyntax.allCases.map(\.rawValue)
    case "format": return FileFormat.allCases.map(\.rawValue)
    case "server-type": return ServerType.allCases.map(\.rawValue)
    case "color": return PromptColor.allCases.map(\.rawValue)
    default: return nil
    }
  }

  /// Options whose value is a directory.
  static let directoryOptions: Set = ["dir"]

  /// The commands a user types (hidden ones left out), with `help`.
  static var visible: [(name: String, summary: String, options: [OptionSpec])] {
    Commands.all.filter { !$0.summary.isEmpty }.map { ($0.name, $0.summary, $0.options) }
      + [("help", "Show help for a command.", [])]
  }
}

/// The three scripts. Profile names are `[A-Za-z0-9._-]`, so they are safe as words in every shell.
private enum Script {
  typealias Command = (name: String, summary: String, options: [OptionSpec])

  static func kind(_ command: String) -> String { CompletionCommands.positionals[command]?.rawValue ?? "none" }

  static func optionWords(_ command: Command) -> [String] {
    command.options.map { "--" + $0.name } + ["--help"]
  }

  static func valueOptionWords(_ command: Command) -> [String] {
    command.options.filter { $0.value != nil }.map { "--" + $0.name }
  }

  /// Every option taking a value, with the words it completes (nil: nothing; "dir": directories).
  static var valueOptions: [(name: String, values: [String]?, directory: Bool)] {
    var seen = Set<String>()
    var result: [(String, [String]?, Bool)] = []
    for command in CompletionCommands.visible {
      for option in command.options where option.value != nil && !seen.contains(option.name) {
        seen.insert(option.name)
        result.append(
          (option.name, CompletionCommands.optionValues(option.name), CompletionCommands.directoryOptions.contains(option.name)))
      }
    }
    return result.sorted { $0.0 < $1.0 }
  }

  static let header = "generated by: conductor-profile completions"

  // MARK: bash

  static func bash() -> String {
    let commands = CompletionCommands.visible
    let q = ShellSyntax.bash.quote
    var s = """
      # conductor-profile completion for bash (\(header) bash).
      # Install: add to ~/.bashrc:  eval "$(conductor-profile completions bash)"

      _conductor_profile_names() {
        command conductor-profile __complete-profiles 2>/dev/null
      }

      _conductor_profile_complete() {
        local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmd opts="" valopts=" " kind=none
        local word first="" opt="" candidates="" i n=0 skip=0 dashdash=0 only=0
        COMPREPLY=()
        (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
        if (( COMP_CWORD <= 1 )); then
          if [[ "$cur" == -* ]]; then candidates="--help --version"; else candidates=\(q(commands.map(\.name).joined(separator: " "))); fi
          mapfile -t COMPREPLY < <(compgen -W "$candidates" -- "$cur")
          return 0
        fi
        cmd="${COMP_WORDS[1]}"
        case "$cmd" in

      """
    for command in commands {
      let valopts = valueOptionWords(command)
      s += "    \(command.name)) opts=\(q(optionWords(command).joined(separator: " ")))"
      if !valopts.isEmpty { s += "; valopts=\(q(" " + valopts.joined(separator: " ") + " "))" }
      s += "; kind=\(q(kind(command.name))) ;;\n"
    }
    s += """
          *) return 0 ;;
        esac
        # The value of an option: '--opt value', or '--opt=value' (bash splits the word at '=').
        if [[ "$cur" == "=" ]]; then
          opt="$prev"
          cur=""
        elif [[ "$prev" == "=" ]] && (( COMP_CWORD >= 3 )); then
          opt="${COMP_WORDS[COMP_CWORD-2]}"
        elif [[ "$valopts" == *" $prev "* ]]; then
          opt="$prev"
        fi
        if [[ -n "$opt" ]]; then
          case "$opt" in

      """
    for option in valueOptions {
      if option.directory {
        s += "      --\(option.name)) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\") ;;\n"
      } else if let values = option.values {
        s += "      --\(option.name)) mapfile -t COMPREPLY < <(compgen -W \(q(values.joined(separator: " "))) -- \"$cur\") ;;\n"
      }
    }
    s += """
          esac
          return 0
        fi
        # Count the positional words before the cursor; find exec's '--'.
        for ((i = 2; i < COMP_CWORD; i++)); do
          word="${COMP_WORDS[i]}"
          if (( skip > 0 )); then
            skip=$((skip - 1))
            continue
          fi
          if (( only == 0 )) && [[ "$word" == "--" ]]; then
            if [[ "$kind" == exec ]]; then
              dashdash=$i
              break
            fi
            only=1
            continue
          fi
          if (( only == 0 )) && [[ "$word" == -?* ]]; then
            if [[ "${COMP_WORDS[i+1]-}" == "=" ]]; then
              skip=2
            elif [[ "$valopts" == *" $word "* ]]; then
              skip=1
            fi
            continue
          fi
          (( n == 0 )) && first="$word"
          n=$((n + 1))
        done
        if (( dashdash > 0 )); then
          # exec NAME -- COMMAND ARG...: the command, then whatever completes its arguments.
          if (( COMP_CWORD == dashdash + 1 )); then
            mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
          elif declare -F _command_offset >/dev/null 2>&1; then
            _command_offset $((dashdash + 1))
          else
            compopt -o default 2>/dev/null
          fi
          return 0
        fi
        if (( only == 0 )) && [[ "$cur" == -* && "$cur" != "-" ]]; then
          [[ "$kind" == exec ]] && (( n > 0 )) && opts="$opts --"
          mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
          return 0
        fi
        candidates=""
        case "$kind" in
          profile) (( n == 0 )) && candidates="$(_conductor_profile_names)" ;;
          profiles) candidates="$(_conductor_profile_names)" ;;
          use)
            if (( n == 0 )); then
              candidates="$(_conductor_profile_names)"
              [[ -n "${_CONDUCTOR_PROFILE_PREVIOUS-}" ]] && candidates="$candidates -"
            fi
            ;;
          exec)
            if (( n == 0 )); then candidates="$(_conductor_profile_names)"; else candidates="--"; fi
            ;;
          shells) (( n == 0 )) && candidates=\(q(CompletionCommands.shells.joined(separator: " "))) ;;
          import)
            if (( n == 0 )); then
              candidates=\(q(ImportCommand.sources.joined(separator: " ")))
            elif (( n == 1 )) && [[ "$first" == file ]]; then
              compopt -o filenames 2>/dev/null
              mapfile -t COMPREPLY < <(compgen -f -- "$cur")
              return 0
            fi
            ;;
          commands) (( n == 0 )) && candidates=\(q(commands.filter { $0.name != "help" }.map(\.name).joined(separator: " "))) ;;
          directory)
            if (( n == 0 )); then
              compopt -o filenames 2>/dev/null
              mapfile -t COMPREPLY < <(compgen -d -- "$cur")
              return 0
            fi
            ;;
        esac
        [[ -n "$candidates" ]] && mapfile -t COMPREPLY < <(compgen -W "$candidates" -- "$cur")
        return 0
      }

      complete -F _conductor_profile_complete conductor-profile

      """
    return s
  }

  // MARK: zsh

  static func zsh() -> String {
    let commands = CompletionCommands.visible
    let q = ShellSyntax.zsh.quote
    let width = (commands.map(\.name.count).max() ?? 0) + 2
    var s = """
      #compdef conductor-profile
      # conductor-profile completion for zsh (\(header) zsh).
      # Install: in ~/.zshrc after compinit:  eval "$(conductor-profile completions zsh)"
      #   or save it as _conductor-profile in a directory on $fpath.

      _conductor_profile_names() {
        command conductor-profile __complete-profiles 2>/dev/null
      }

      _conductor_profile() {
        local cur="${words[CURRENT]}" cmd="${words[2]}" opts="" valopts=" " kind=none word first="" opt=""
        local -a candidates names
        local -i i n=0 skip=0 dashdash=0 only=0
        if (( CURRENT <= 2 )); then
          if [[ "$cur" == -* ]]; then
            compadd -- --help --version
          else
            local -a cmds descs
            cmds=(\(commands.map(\.name).joined(separator: " ")))
            descs=(

      """
    for command in commands {
      s += "        \(q(command.name.padding(to: width) + "-- " + command.summary))\n"
    }
    s += """
            )
            compadd -l -d descs -- "${cmds[@]}"
          fi
          return
        fi
        case "$cmd" in

      """
    for command in commands {
      let valopts = valueOptionWords(command)
      s += "    \(command.name)) opts=\(q(optionWords(command).joined(separator: " ")))"
      if !valopts.isEmpty { s += "; valopts=\(q(" " + valopts.joined(separator: " ") + " "))" }
      s += "; kind=\(q(kind(command.name))) ;;\n"
    }
    s += """
          *) return 1 ;;
        esac
        # The value of an option: '--opt value' or '--opt=value'.
        if [[ "$cur" == --*=* ]]; then
          opt="${cur%%=*}"
          compset -P '*='
        elif [[ "$valopts" == *" ${words[CURRENT-1]} "* ]]; then
          opt="${words[CURRENT-1]}"
        fi
        if [[ -n "$opt" ]]; then
          case "$opt" in

      """
    for option in valueOptions {
      if option.directory {
        s += "      --\(option.name)) _directories ;;\n"
      } else if let values = option.values {
        s += "      --\(option.name)) compadd -- \(values.joined(separator: " ")) ;;\n"
      }
    }
    s += """
          esac
          return
        fi
        for (( i = 3; i < CURRENT; i++ )); do
          word="${words[i]}"
          if (( skip > 0 )); then
            (( skip-- ))
            continue
          fi
          if (( only == 0 )) && [[ "$word" == "--" ]]; then
            if [[ "$kind" == exec ]]; then
              dashdash=$i
              break
            fi
            only=1
            continue
          fi
          if (( only == 0 )) && [[ "$word" == -?* ]]; then
            [[ "$word" != *=* && "$valopts" == *" $word "* ]] && skip=1
            continue
          fi
          (( n == 0 )) && first="$word"
          (( n++ ))
        done
        if (( dashdash > 0 )); then
          # exec NAME -- COMMAND ARG...: complete as if the command line started there.
          words=("${(@)words[dashdash+1,-1]}")
          (( CURRENT -= dashdash ))
          _normal
          return
        fi
        if (( only == 0 )) && [[ "$cur" == -* && "$cur" != "-" ]]; then
          [[ "$kind" == exec ]] && (( n > 0 )) && opts="$opts --"
          compadd -- ${=opts}
          return
        fi
        names=(${(f)"$(_conductor_profile_names)"})
        case "$kind" in
          profile) (( n == 0 )) && candidates=("${names[@]}") ;;
          profiles) candidates=("${names[@]}") ;;
          use)
            if (( n == 0 )); then
              candidates=("${names[@]}")
              [[ -n "${_CONDUCTOR_PROFILE_PREVIOUS-}" ]] && candidates+=(-)
            fi
            ;;
          exec)
            if (( n == 0 )); then candidates=("${names[@]}"); else candidates=(--); fi
            ;;
          shells) (( n == 0 )) && candidates=(\(CompletionCommands.shells.joined(separator: " "))) ;;
          import)
            if (( n == 0 )); then
              candidates=(\(ImportCommand.sources.joined(separator: " ")))
            elif (( n == 1 )) && [[ "$first" == file ]]; then
              _files
              return
            fi
            ;;
          commands) (( n == 0 )) && candidates=(\(commands.filter { $0.name != "help" }.map(\.name).joined(separator: " "))) ;;
          directory)
            if (( n == 0 )); then
              _directories
              return
            fi
            ;;
        esac
        (( ${#candidates} )) && compadd -- "${candidates[@]}"
      }

      if [[ "${funcstack[1]-}" == _conductor-profile ]]; then
        # Autoloaded from $fpath: this file is the completion function's body.
        _conductor_profile "$@"
      elif (( $+functions[compdef] )); then
        compdef _conductor_profile conductor-profile
      else
        # compinit has not run yet (it often comes later in ~/.zshrc): register at the first prompt,
        # once. Loaded with the hook (init), a zsh without compinit just has no completion.
        _conductor_profile_compdef() {
          precmd_functions=(${precmd_functions:#_conductor_profile_compdef})
          unfunction _conductor_profile_compdef
          if (( $+functions[compdef] )); then
            compdef _conductor_profile conductor-profile
          elif [[ -z "${_CONDUCTOR_PROFILE_HOOK-}" ]]; then
            print -u2 'conductor-profile completions: run compinit before loading them (autoload -Uz compinit && compinit)'
          fi
        }
        typeset -ag precmd_functions
        (( ${precmd_functions[(I)_conductor_profile_compdef]} )) || precmd_functions+=(_conductor_profile_compdef)
      fi

      """
    return s
  }

  // MARK: fish

  static func fish() -> String {
    let commands = CompletionCommands.visible
    let q = ShellSyntax.fish.quote
    var s = """
      # conductor-profile completion for fish (\(header) fish).
      # Install: conductor-profile completions fish > ~/.config/fish/completions/conductor-profile.fish

      complete -c conductor-profile -e
      complete -c conductor-profile -f

      function __conductor_profile_names
          command conductor-profile __complete-profiles 2>/dev/null
      end

      function __conductor_profile_needs_command
          test (count (commandline -opc)) -eq 1
      end

      function __conductor_profile_using
          set -l tokens (commandline -opc)
          test (count $tokens) -ge 2; and contains -- $tokens[2] $argv
      end

      # The positional arguments of the command being typed.
      function __conductor_profile_arguments
          set -l tokens (commandline -opc)
          set -l cur (commandline -ct)
          test (count $tokens) -ge 2; or return
          set -l cmd $tokens[2]
          set -l valopts
          set -l kind none
          switch $cmd

      """
    for command in commands {
      s += "        case \(command.name)\n"
      let valopts = valueOptionWords(command)
      if !valopts.isEmpty { s += "            set valopts \(valopts.joined(separator: " "))\n" }
      s += "            set kind \(kind(command.name))\n"
    }
    s += """
              case '*'
                  return
          end
          set -l n 0
          set -l first
          set -l skip 0
          set -l only 0
          set -l i 2
          while test $i -lt (count $tokens)
              set i (math $i + 1)
              set -l word $tokens[$i]
              if test $skip -gt 0
                  set skip (math $skip - 1)
                  continue
              end
              if test $only -eq 0; and test "$word" = --
                  if test $kind = exec
                      # exec NAME -- COMMAND ARG...: complete as if the command line started there.
                      if test $i -ge (count $tokens)
                          complete -C "$cur"
                      else
                          set -l rest $tokens[(math $i + 1)..-1]
                          complete -C (string join ' ' -- (string escape -- $rest) "$cur")
                      end
                      return
                  end
                  set only 1
                  continue
              end
              if test $only -eq 0; and string match -q -- '-?*' "$word"
                  if not string match -q -- '*=*' "$word"; and contains -- "$word" $valopts
                      set skip 1
                  end
                  continue
              end
              test $n -eq 0; and set first $word
              set n (math $n + 1)
          end
          switch $kind
              case profile
                  test $n -eq 0; and __conductor_profile_names
              case profiles
                  __conductor_profile_names
              case use
                  if test $n -eq 0
                      __conductor_profile_names
                      set -q _CONDUCTOR_PROFILE_PREVIOUS; and printf '%s\\t%s\\n' - 'the previous profile'
                  end
              case exec
                  if test $n -eq 0
                      __conductor_profile_names
                  else
                      printf '%s\\t%s\\n' -- 'then the command to run'
                  end
              case shells
                  test $n -eq 0; and printf '%s\\n' \(CompletionCommands.shells.joined(separator: " "))
              case import
                  if test $n -eq 0
                      printf '%s\\n' \(ImportCommand.sources.joined(separator: " "))
                  else if test $n -eq 1; and test "$first" = file
                      __fish_complete_path "$cur"
                  end
              case commands
                  test $n -eq 0; and printf '%s\\n' \(commands.filter { $0.name != "help" }.map(\.name).joined(separator: " "))
              case directory
                  test $n -eq 0; and __fish_complete_directories "$cur"
          end
      end

      complete -c conductor-profile -n __conductor_profile_needs_command -l help -d 'Show help information.'
      complete -c conductor-profile -n __conductor_profile_needs_command -l version -d 'Show the version.'

      """
    for command in commands {
      s += "complete -c conductor-profile -n __conductor_profile_needs_command -a \(command.name) -d \(q(command.summary))\n"
    }
    for command in commands {
      let condition = q("__conductor_profile_using \(command.name)")
      for option in command.options {
        var line = "complete -c conductor-profile -n \(condition) -l \(option.name)"
        if option.value != nil {
          if CompletionCommands.directoryOptions.contains(option.name) {
            line += " -r -a '(__fish_complete_directories (commandline -ct))'"
          } else if let values = CompletionCommands.optionValues(option.name) {
            line += " -x -a \(q(values.joined(separator: " ")))"
          } else {
            line += " -x"
          }
        }
        s += line + " -d \(q(option.help))\n"
      }
      s += "complete -c conductor-profile -n \(condition) -s h -l help -d 'Show help information.'\n"
    }
    s += "complete -c conductor-profile -n 'not __conductor_profile_needs_command' -a '(__conductor_profile_arguments)'\n"
    return s
  }
}
