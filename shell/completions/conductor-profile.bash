# conductor-profile completion for bash (≥ 4). The program says what completes the word under the cursor
# (`conductor-profile __complete -- WORD...`: one candidate a line, then a directive: :nofiles, :files,
# :directories or `:command K`), so this script does not change when a command gains an option.
# Install: nothing with the shell hook (init prints it); else add to ~/.bashrc:
#   eval "$(conductor-profile completions bash)"
# or copy it to bash-completion's completions directory as conductor-profile.

_conductor_profile_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" word directive start i n=0
  local -a args=() origin=() lines=()
  COMPREPLY=()
  # The words after the program's name, joined again where bash split them (COMP_WORDBREAKS): at '=' in
  # '--opt=value', at ':' in a URL.
  for ((i = 1; i <= COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    if ((n > 0)) && [[ "$word" == "=" && "${args[n - 1]}" == --?* && "${args[n - 1]}" != *=* ]]; then
      args[n - 1]+="="
      continue
    fi
    if ((n > 0)) && [[ "${COMP_WORDS[i - 1]}" == "=" && "${args[n - 1]}" == --*= ]]; then
      args[n - 1]+="$word"
      continue
    fi
    if ((n > 0 && i > 1)) && [[ "$word" == ":" || "${COMP_WORDS[i - 1]}" == ":" ]]; then
      args[n - 1]+="$word"
      continue
    fi
    args+=("$word")
    origin+=("$i")
    n=$((n + 1))
  done
  [[ "$cur" == "=" ]] && cur=""
  mapfile -t lines < <(_CONDUCTOR_PROFILE_PREVIOUS="${_CONDUCTOR_PROFILE_PREVIOUS-}" \command conductor-profile __complete -- "${args[@]}" 2>/dev/null)
  n=${#lines[@]}
  ((n > 0)) || return 0
  directive="${lines[n - 1]}"
  case "$directive" in
    :files)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
    :directories)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      ;;
    ":command "*)
      # exec NAME -- COMMAND ARG...: a command, then whatever completes its arguments.
      start="${directive#:command }"
      [[ "$start" =~ ^[0-9]+$ ]] || return 0
      start="${origin[start]-$COMP_CWORD}"
      if ((start >= COMP_CWORD)); then
        mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
      elif declare -F _command_offset >/dev/null 2>&1; then
        _command_offset "$start"
      else
        compopt -o default 2>/dev/null
      fi
      ;;
    *)
      for ((i = 0; i < n - 1; i++)); do
        COMPREPLY+=("${lines[i]%%$'\t'*}")
      done
      ;;
  esac
  return 0
}

complete -F _conductor_profile_complete conductor-profile
