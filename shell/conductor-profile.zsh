# conductor-profile shell hook for zsh (5 or later).
# Install: add this line to ~/.zshrc, then open a new terminal:
#   eval "$(conductor-profile init zsh)"
# It defines the function conductor-profile (use and off change this shell), activates the default
# profile when a shell starts with none, and keeps CONDUCTOR_PROFILE_PS1 current for your prompt:
#   setopt prompt_subst
#   PROMPT='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"$PROMPT"
# Loading it twice installs it once. The prompt segment starts no process.
if [[ -z "${_CONDUCTOR_PROFILE_HOOK-}" ]]; then
  typeset -g _CONDUCTOR_PROFILE_HOOK=zsh
  typeset -g CONDUCTOR_PROFILE_PS1='' _CONDUCTOR_PROFILE_PREVIOUS=${_CONDUCTOR_PROFILE_PREVIOUS-}
  # The clock for the expired mark, without a process.
  zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null

  # The program, wrapped: `use` and `off` print shell code, evaluated here (no subshell) only when the
  # program exits 0; a refusal or an error changes nothing. Returns the program's exit status.
  # `function NAME`: an alias named conductor-profile, present now, cannot turn this into another command.
  function conductor-profile {
    local _CONDUCTOR_PROFILE_code _CONDUCTOR_PROFILE_status=0
    case "${1-}" in
      use | off)
        _CONDUCTOR_PROFILE_code=$(_CONDUCTOR_PROFILE_SHELL=zsh _CONDUCTOR_PROFILE_PREVIOUS="${_CONDUCTOR_PROFILE_PREVIOUS-}" \command conductor-profile "$@") || _CONDUCTOR_PROFILE_status=$?
        if (( _CONDUCTOR_PROFILE_status == 0 )); then
          _conductor_profile_apply "$_CONDUCTOR_PROFILE_code" || _CONDUCTOR_PROFILE_status=$?
        fi
        return $_CONDUCTOR_PROFILE_status
        ;;
      *)
        _CONDUCTOR_PROFILE_SHELL=zsh \command conductor-profile "$@"
        ;;
    esac
  }

  # Evaluates a switch only when this shell can apply all of it: every variable the code sets or unsets
  # (one statement a line, as the program writes it) is looked up first, and a read-only or special one
  # (ARGC) stops the switch before anything changes — also under err_exit, which an error inside eval
  # would turn into the end of the shell. Says so and returns 1.
  function _conductor_profile_apply {
    emulate -L zsh
    local _CONDUCTOR_PROFILE_line _CONDUCTOR_PROFILE_name
    for _CONDUCTOR_PROFILE_line in "${(@f)1}"; do
      case $_CONDUCTOR_PROFILE_line in
        ('export '* | 'unset '*) _CONDUCTOR_PROFILE_name=${_CONDUCTOR_PROFILE_line#* } ;;
        (*=*) _CONDUCTOR_PROFILE_name=$_CONDUCTOR_PROFILE_line ;;
        (*) continue ;;
      esac
      _CONDUCTOR_PROFILE_name=${_CONDUCTOR_PROFILE_name%%[=;]*}
      [[ $_CONDUCTOR_PROFILE_name =~ '^[A-Za-z_][A-Za-z0-9_]*$' ]] || continue
      if [[ ${(tP)_CONDUCTOR_PROFILE_name} == *(readonly|special)* ]]; then
        print -ru2 -- "conductor-profile: this shell cannot apply the switch: $_CONDUCTOR_PROFILE_name is read-only or special here; nothing was changed"
        return 1
      fi
    done
    eval "$1"
  }

  # Sets CONDUCTOR_PROFILE_PS1 from the exported variables alone: no process, nothing evaluated.
  # Prompt sequences (%F, %B) colour it; a % in the name is doubled so it prints as itself.
  _conductor_profile_segment() {
    emulate -L zsh
    local name=${CONDUCTOR_PROFILE_ACTIVE-} expires=${CONDUCTOR_PROFILE_TOKEN_EXPIRES-} start= end=
    CONDUCTOR_PROFILE_PS1=''
    [[ -n $name ]] || return 0
    name=${name//[[:cntrl:]]/?}
    name=${name//\%/%%}
    if [[ ${CONDUCTOR_PROFILE_AUTH-} == user-token ]]; then
      name="⚠ $name"
      if [[ ${CONDUCTOR_PROFILE_PRODUCTION-} == 1 ]]; then
        start='%B%F{red}' end='%f%b'
      else
        start='%F{yellow}' end='%f'
      fi
    elif [[ ${CONDUCTOR_PROFILE_PRODUCTION-} == 1 ]]; then
      start='%F{red}' end='%f'
    fi
    # Only digits reach the arithmetic: a value from the environment is never evaluated.
    if [[ $expires == <-> && ${#expires} -le 18 && -n ${EPOCHSECONDS-} ]] && (( 10#$expires <= EPOCHSECONDS )); then
      name+=' expired'
    fi
    if [[ -n ${NO_COLOR-} ]]; then
      start= end=
    fi
    CONDUCTOR_PROFILE_PS1=$start$name$end
  }

  # Runs from precmd_functions before each prompt; keeps $? as the prompt sees it.
  _conductor_profile_precmd() {
    local _CONDUCTOR_PROFILE_status=$?
    _conductor_profile_segment
    return $_CONDUCTOR_PROFILE_status
  }

  # Prints the prompt segment (with zsh prompt sequences); keeps $?.
  conductor_profile_prompt() {
    local _CONDUCTOR_PROFILE_status=$?
    _conductor_profile_segment
    print -rn -- "$CONDUCTOR_PROFILE_PS1"
    return $_CONDUCTOR_PROFILE_status
  }

  typeset -ag precmd_functions
  if (( ${precmd_functions[(I)_conductor_profile_precmd]} == 0 )); then
    precmd_functions+=(_conductor_profile_precmd)
  fi
  _conductor_profile_segment

  # A new shell with no active profile starts with the default one (nothing when none is set).
  if [[ -z "${CONDUCTOR_PROFILE_ACTIVE-}" ]]; then
    typeset -g _CONDUCTOR_PROFILE_code
    _CONDUCTOR_PROFILE_code=$(_CONDUCTOR_PROFILE_STARTUP=1 _CONDUCTOR_PROFILE_SHELL=zsh \command conductor-profile use) &&
      eval "$_CONDUCTOR_PROFILE_code"
    unset _CONDUCTOR_PROFILE_code
    _conductor_profile_segment
  fi
fi
