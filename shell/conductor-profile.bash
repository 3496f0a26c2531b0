# conductor-profile shell hook for bash (4.2 or later).
# Install: add this line to ~/.bashrc, then open a new terminal:
#   eval "$(conductor-profile init bash)"
# It defines the function conductor-profile (use and off change this shell), activates the default
# profile when a shell starts with none, and keeps CONDUCTOR_PROFILE_PS1 current for your prompt:
#   PS1='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"$PS1"
# Loading it twice installs it once. The prompt segment starts no process.
if [[ -z "${_CONDUCTOR_PROFILE_HOOK-}" ]]; then
  _CONDUCTOR_PROFILE_HOOK=bash

  # The program, wrapped: `use` and `off` print shell code, evaluated here (no subshell) only when the
  # program exits 0; a refusal or an error changes nothing. Returns the program's exit status.
  # `function NAME`: an alias named conductor-profile, present now, cannot turn this into another command.
  function conductor-profile {
    local _CONDUCTOR_PROFILE_code _CONDUCTOR_PROFILE_status=0
    case "${1-}" in
      use | off)
        _CONDUCTOR_PROFILE_code=$(_CONDUCTOR_PROFILE_SHELL=bash _CONDUCTOR_PROFILE_PREVIOUS="${_CONDUCTOR_PROFILE_PREVIOUS-}" \command conductor-profile "$@") || _CONDUCTOR_PROFILE_status=$?
        if [[ $_CONDUCTOR_PROFILE_status -eq 0 ]]; then
          _conductor_profile_apply "$_CONDUCTOR_PROFILE_code" || _CONDUCTOR_PROFILE_status=$?
        fi
        return "$_CONDUCTOR_PROFILE_status"
        ;;
      *)
        _CONDUCTOR_PROFILE_SHELL=bash \command conductor-profile "$@"
        ;;
    esac
  }

  # Evaluates a switch only when this shell can apply all of it: every variable the code sets or unsets
  # (one statement a line, as the program writes it) is looked up first, and a read-only one stops the
  # switch before anything changes — also where errexit would end the shell. Says so and returns 1.
  _conductor_profile_apply() {
    local _CONDUCTOR_PROFILE_line _CONDUCTOR_PROFILE_name
    while IFS= read -r _CONDUCTOR_PROFILE_line; do
      case $_CONDUCTOR_PROFILE_line in
        'export '* | 'unset '*) _CONDUCTOR_PROFILE_name=${_CONDUCTOR_PROFILE_line#* } ;;
        *=*) _CONDUCTOR_PROFILE_name=$_CONDUCTOR_PROFILE_line ;;
        *) continue ;;
      esac
      _CONDUCTOR_PROFILE_name=${_CONDUCTOR_PROFILE_name%%[=;]*}
      [[ $_CONDUCTOR_PROFILE_name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
      if [[ ${!_CONDUCTOR_PROFILE_name@a} == *r* ]]; then
        printf '%s\n' "conductor-profile: this shell cannot apply the switch: $_CONDUCTOR_PROFILE_name is read-only here; nothing was changed" >&2
        return 1
      fi
    done <<<"$1"
    eval "$1"
  }

  # Sets CONDUCTOR_PROFILE_PS1 from the exported variables alone: no process, nothing evaluated.
  # Colour sequences sit between \001 and \002 so readline counts the prompt's width right.
  _conductor_profile_segment() {
    local name=${CONDUCTOR_PROFILE_ACTIVE-} expires=${CONDUCTOR_PROFILE_TOKEN_EXPIRES-} now color=
    CONDUCTOR_PROFILE_PS1=
    [[ -n $name ]] || return 0
    name=${name//[[:cntrl:]]/?}
    if [[ ${CONDUCTOR_PROFILE_AUTH-} == user-token ]]; then
      name="⚠ $name"
      if [[ ${CONDUCTOR_PROFILE_PRODUCTION-} == 1 ]]; then color='1;31'; else color=33; fi
    elif [[ ${CONDUCTOR_PROFILE_PRODUCTION-} == 1 ]]; then
      color=31
    fi
    # Only digits reach the arithmetic: a value from the environment is never evaluated.
    if [[ $expires =~ ^[0-9]{1,18}$ ]]; then
      printf -v now '%(%s)T' -1
      if ((10#$expires <= now)); then name+=' expired'; fi
    fi
    if [[ -n $color && -z ${NO_COLOR-} ]]; then
      CONDUCTOR_PROFILE_PS1=$'\001\e['"$color"$'m\002'"$name"$'\001\e[0m\002'
    else
      CONDUCTOR_PROFILE_PS1=$name
    fi
  }

  # Runs from PROMPT_COMMAND before each prompt; keeps $? as the prompt sees it.
  _conductor_profile_precmd() {
    local _CONDUCTOR_PROFILE_status=$?
    _conductor_profile_segment
    return "$_CONDUCTOR_PROFILE_status"
  }

  # Prints the prompt segment (with readline's \001 \002 markers); keeps $?.
  conductor_profile_prompt() {
    local _CONDUCTOR_PROFILE_status=$?
    _conductor_profile_segment
    printf '%s' "$CONDUCTOR_PROFILE_PS1"
    return "$_CONDUCTOR_PROFILE_status"
  }

  # Adds the prompt function to PROMPT_COMMAND once, first, keeping what is there: an array
  # (bash 5.1 or later runs every element) gets one more element, a string one more command.
  _conductor_profile_install() {
    local element
    if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)) && [[ -n ${PROMPT_COMMAND+set} && ${PROMPT_COMMAND@a} == *a* ]]; then
      for element in "${PROMPT_COMMAND[@]}"; do
        [[ $element == _conductor_profile_precmd ]] && return 0
      done
      PROMPT_COMMAND=(_conductor_profile_precmd "${PROMPT_COMMAND[@]}")
    else
      element=${PROMPT_COMMAND-}
      [[ ";${element//[$'\n\t ']/;};" == *';_conductor_profile_precmd;'* ]] && return 0
      # shellcheck disable=SC2178  # a string on this branch
      PROMPT_COMMAND="_conductor_profile_precmd${element:+;$element}"
    fi
  }
  _conductor_profile_install
  unset -f _conductor_profile_install
  _conductor_profile_segment

  # A new shell with no active profile starts with the default one (nothing when none is set).
  if [[ -z "${CONDUCTOR_PROFILE_ACTIVE-}" ]]; then
    _CONDUCTOR_PROFILE_code=$(_CONDUCTOR_PROFILE_STARTUP=1 _CONDUCTOR_PROFILE_SHELL=bash \command conductor-profile use) &&
      eval "$_CONDUCTOR_PROFILE_code"
    unset _CONDUCTOR_PROFILE_code
    _conductor_profile_segment
  fi
fi
