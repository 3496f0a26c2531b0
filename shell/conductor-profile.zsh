# conductor-profile shell hook for zsh (5 or later).
# Install: add this line to ~/.zshrc, then open a new terminal:
#   eval "$(conductor-profile init zsh)"
# It defines the function conductor-profile (use and off change this shell), activates the default
# profile when a shell starts with none, keeps CONDUCTOR_PROFILE_PS1 current and puts it in front of
# PROMPT (see "prompt marker" at the end; CONDUCTOR_PROFILE_PROMPT=off before this line to place it yourself):
#   setopt prompt_subst
#   PROMPT='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"$PROMPT"
# Loading it twice installs it once. The prompt segment starts no process.
if [[ -z "${_CONDUCTOR_PROFILE_HOOK-}" ]]; then
  typeset -g _CONDUCTOR_PROFILE_HOOK=zsh
  typeset -g CONDUCTOR_PROFILE_PS1='' _CONDUCTOR_PROFILE_PREVIOUS=${_CONDUCTOR_PROFILE_PREVIOUS-} _CONDUCTOR_PROFILE_plain=''
  # The clock for the expired mark, without a process.
  zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null

  # The program, wrapped: `use` and `off` print shell code, evaluated here (no subshell) only when the
  # program exits 0; a refusal or an error changes nothing. Returns the program's exit status.
  # `function NAME`: an alias named conductor-profile, present now, cannot turn this into another command.
  function conductor-profile {
    local _CONDUCTOR_PROFILE_code _CONDUCTOR_PROFILE_status=0
    case "${1-}" in
      use | off)
        _CONDUCTOR_PROFILE_code=$(_CONDUCTOR_PROFILE_SHELL=zsh _CONDUCTOR_PROFILE_PREVIOUS="${_CONDUCTOR_PROFILE_PREVIOUS-}" _CONDUCTOR_PROFILE_SESSION="${_CONDUCTOR_PROFILE_SESSION-}" \command conductor-profile "$@") || _CONDUCTOR_PROFILE_status=$?
        if (( _CONDUCTOR_PROFILE_status == 0 )); then
          _conductor_profile_apply "$_CONDUCTOR_PROFILE_code" || _CONDUCTOR_PROFILE_status=$?
        fi
        return $_CONDUCTOR_PROFILE_status
        ;;
      allow)
        # A file just trusted applies at once: the directory is looked at again (directory profiles).
        _CONDUCTOR_PROFILE_SHELL=zsh \command conductor-profile "$@" || return
        _CONDUCTOR_PROFILE_DIR_FILE=''
        _conductor_profile_dir_check
        ;;
      doctor)
        # doctor says when Tab cannot complete: whether compinit has run in this shell (only zsh knows).
        _CONDUCTOR_PROFILE_SHELL=zsh _CONDUCTOR_PROFILE_COMPINIT=${+functions[compdef]} \command conductor-profile "$@"
        ;;
      *)
        _CONDUCTOR_PROFILE_SHELL=zsh \command conductor-profile "$@"
        ;;
    esac
  }

  # Evaluates a switch only when this shell can apply all of it: every variable the code sets or unsets
  # is looked up first, and a read-only or special one (ARGC) stops the switch before anything changes —
  # also under err_exit, which an error inside eval would turn into the end of the shell. Says so and
  # returns 1. The names come from the first line alone, which the program writes before any value
  # ("# conductor-profile switch sets: NAME..."): no value, whatever lines it spans, can add or hide one.
  # Output without that line is no switch: nothing is evaluated.
  function _conductor_profile_apply {
    emulate -L zsh
    local _CONDUCTOR_PROFILE_head=${1%%$'\n'*} _CONDUCTOR_PROFILE_name
    if [[ $_CONDUCTOR_PROFILE_head != '# conductor-profile switch sets:'* ]]; then
      print -ru2 -- "conductor-profile: the program printed no switch; nothing was changed"
      return 1
    fi
    for _CONDUCTOR_PROFILE_name in ${(s: :)${_CONDUCTOR_PROFILE_head#'# conductor-profile switch sets:'}}; do
      if [[ ! $_CONDUCTOR_PROFILE_name =~ '^[A-Za-z_][A-Za-z0-9_]*$' ]]; then
        print -ru2 -- "conductor-profile: the program printed no switch; nothing was changed"
        return 1
      fi
      if [[ ${(tP)_CONDUCTOR_PROFILE_name} == *(readonly|special)* ]]; then
        print -ru2 -- "conductor-profile: this shell cannot apply the switch: $_CONDUCTOR_PROFILE_name is read-only or special here; nothing was changed"
        return 1
      fi
    done
    eval "$1"
  }

  # The one rule for outside text in this hook's prompt segment and messages: C0 controls, DEL and C1
  # controls (U+0080-U+009F, in UTF-8 whatever the locale) become '?'. Sets _CONDUCTOR_PROFILE_plain.
  _conductor_profile_plain() {
    emulate -L zsh
    local code
    _CONDUCTOR_PROFILE_plain=${1//[[:cntrl:]]/?}
    # Outside a UTF-8 locale a C1 control is two bytes, which the class above does not match.
    if [[ $_CONDUCTOR_PROFILE_plain == *$'\xc2'* ]]; then
      for code in {128..159}; do _CONDUCTOR_PROFILE_plain=${_CONDUCTOR_PROFILE_plain//$'\xc2'${(#)code}/?}; done
    fi
  }

  # Sets CONDUCTOR_PROFILE_PS1 from the exported variables alone: no process, nothing evaluated.
  # Prompt sequences (%F, %B) colour it; a % in the name is doubled so it prints as itself.
  _conductor_profile_segment() {
    emulate -L zsh
    local name=${CONDUCTOR_PROFILE_ACTIVE-} expires=${CONDUCTOR_PROFILE_TOKEN_EXPIRES-} start= end=
    CONDUCTOR_PROFILE_PS1=''
    [[ -n $name ]] || return 0
    _conductor_profile_plain "$name"
    name=$_CONDUCTOR_PROFILE_plain
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
    _conductor_profile_prompt_color
    # Only digits reach the arithmetic: a value from the environment is never evaluated.
    if [[ $expires == <-> && ${#expires} -le 18 && -n ${EPOCHSECONDS-} ]] && (( 10#$expires <= EPOCHSECONDS )); then
      name+=' expired'
    fi
    _conductor_profile_session_left
    if [[ -n ${NO_COLOR-} ]]; then
      start= end=
    fi
    CONDUCTOR_PROFILE_PS1=$start$name$end
  }

  # Runs from precmd_functions before each prompt; keeps $? as the prompt sees it.
  _conductor_profile_precmd() {
    local _CONDUCTOR_PROFILE_status=$?
    _conductor_profile_session_check
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

  # --- seatbelt: limited sessions (use --for, productionSession), the profile's colour ---
  typeset -g _CONDUCTOR_PROFILE_SESSION=${_CONDUCTOR_PROFILE_SESSION-}
  # Ends a limited session at the first prompt after its deadline, as `off` would, and says so. No
  # process: the clock is zsh/datetime's (else the prompt's %D{%s}), and the switch wrote the names to
  # clear in _CONDUCTOR_PROFILE_SESSION ("DEADLINE SECONDS NAME..."). A shell that inherited the session without
  # them runs `off` once, at its end.
  _conductor_profile_session_check() {
    emulate -L zsh
    local ends=${CONDUCTOR_PROFILE_SESSION_ENDS-} now=${EPOCHSECONDS-} name=${CONDUCTOR_PROFILE_ACTIVE-}
    local session=${_CONDUCTOR_PROFILE_SESSION-} IFS=' '
    [[ $ends == <-> && ${#ends} -le 18 ]] || return 0
    [[ -n $now ]] || now=${(%):-%D{%s}}
    (( 10#$ends <= now )) || return 0
    if [[ $session =~ '^([0-9]+) ([0-9]+)(( [A-Za-z_][A-Za-z0-9_]*)+)$' && $match[1] == $ends ]]; then
      unset -v ${=match[3]}
      # `use -` brings it back limited the same way (DEADLINE SECONDS NAME...: the length it had).
      [[ -z $name ]] || _CONDUCTOR_PROFILE_PREVIOUS="$name $match[2]"
    elif ! \conductor-profile off >/dev/null; then
      return 0
    fi
    unset _CONDUCTOR_PROFILE_SESSION
    _conductor_profile_plain "$name"
    print -r -- "conductor-profile: the limited session on $_CONDUCTOR_PROFILE_plain has ended; its variables are cleared" >&2
  }

  # Appends the time left of a limited session to the caller's `name` (" 12m", " 1h30m", " 40s").
  _conductor_profile_session_left() {
    emulate -L zsh
    local ends=${CONDUCTOR_PROFILE_SESSION_ENDS-} now=${EPOCHSECONDS-} left
    [[ $ends == <-> && ${#ends} -le 18 ]] || return 0
    [[ -n $now ]] || now=${(%):-%D{%s}}
    (( left = 10#$ends - now ))
    if (( left < 60 )); then
      name+=" $(( left < 0 ? 0 : left ))s"
    else
      (( left = (left + 59) / 60 ))
      if (( left < 60 )); then
        name+=" ${left}m"
      elif (( left % 60 )); then
        name+=" $(( left / 60 ))h$(( left % 60 ))m"
      else
        name+=" $(( left / 60 ))h"
      fi
    fi
  }
  # Sets the caller's `start` and `end` to the profile's own colour (CONDUCTOR_PROFILE_COLOR), keeping
  # the bold of a user token on production. Only the 8 names reach the prompt.
  _conductor_profile_prompt_color() {
    emulate -L zsh
    local color=${CONDUCTOR_PROFILE_COLOR-}
    case $color in
      black | red | green | yellow | blue | magenta | cyan | white) ;;
      *) return 0 ;;
    esac
    if [[ $start == '%B'* ]]; then
      start="%B%F{$color}" end='%f%b'
    else
      start="%F{$color}" end='%f'
    fi
  }
  # --- end of seatbelt ---------------------------------------------------------------------------------

  # --- Directory profiles ------------------------------------------------------------------------
  # On a directory change (chpwd), finds the nearest .conductor-profile upward with builtins only, and
  # never reads it. When the file that applies changed, one process: `use` with
  # _CONDUCTOR_PROFILE_DIRFILE set to its path (nothing else), which checks the file (a regular file, at
  # most 4 KiB, trusted with conductor-profile allow) before it reads the name, and asks the gate.
  # Leaving a tree — for no file, or for one that does not switch (untrusted, invalid, refused) — goes
  # back to what the shell had before it entered the first tree (a `use` inside lasts until then).
  typeset -g _CONDUCTOR_PROFILE_DIR_FILE='' _CONDUCTOR_PROFILE_DIR_INSIDE='' _CONDUCTOR_PROFILE_DIR_BEFORE=''
  _conductor_profile_dir_check() {
    local _CONDUCTOR_PROFILE_status=$?
    emulate -L zsh
    # Not in a subshell ( `$(cd dir; …)` ): its switch would end with it.
    [[ -n ${PWD-} ]] && (( ! ZSH_SUBSHELL )) || return $_CONDUCTOR_PROFILE_status
    local dir=$PWD file='' left=$_CONDUCTOR_PROFILE_DIR_FILE
    [[ $dir == / ]] && dir=
    while :; do
      if [[ -f $dir/.conductor-profile ]]; then
        file=$dir/.conductor-profile
        break
      fi
      [[ -n $dir ]] || break
      dir=${dir%/*}
    done
    [[ $file == "$left" ]] && return $_CONDUCTOR_PROFILE_status
    _CONDUCTOR_PROFILE_DIR_FILE=$file
    if [[ -n $file && -z $_CONDUCTOR_PROFILE_DIR_INSIDE ]]; then
      _CONDUCTOR_PROFILE_DIR_INSIDE=1
      _CONDUCTOR_PROFILE_DIR_BEFORE=${CONDUCTOR_PROFILE_ACTIVE-}
      # A profile inherited from a directory switch (a shell started inside a tree) is no profile to go
      # back to; when it came from this very file, it is in force already: no process.
      if [[ -n ${CONDUCTOR_PROFILE_FILE-} ]]; then
        _CONDUCTOR_PROFILE_DIR_BEFORE=
        [[ $file == "$CONDUCTOR_PROFILE_FILE" && -n ${CONDUCTOR_PROFILE_ACTIVE-} ]] && return $_CONDUCTOR_PROFILE_status
      fi
    fi
    # Entering a tree, or another tree from inside one (a switch from the first tree's profile).
    if [[ -n $file ]] && _CONDUCTOR_PROFILE_DIRFILE=$file \conductor-profile use; then
      return $_CONDUCTOR_PROFILE_status
    fi
    [[ -n $file ]] || _CONDUCTOR_PROFILE_DIR_INSIDE=
    # Nothing to undo when no tree was left, or no switch happened inside (the file was not trusted, say).
    if [[ -n $left ]] && [[ ${CONDUCTOR_PROFILE_ACTIVE-} != "$_CONDUCTOR_PROFILE_DIR_BEFORE" || -n ${CONDUCTOR_PROFILE_FILE-} ]]; then
      _conductor_profile_plain "${left%/*}"
      left=$_CONDUCTOR_PROFILE_plain
      # When that profile cannot be had again (removed since, refused), no profile: never the tree's outside it.
      if [[ -n $_CONDUCTOR_PROFILE_DIR_BEFORE ]] && \conductor-profile use "$_CONDUCTOR_PROFILE_DIR_BEFORE"; then
        print -ru2 -- "conductor-profile: left $left; back to '$_CONDUCTOR_PROFILE_DIR_BEFORE'"
      elif \conductor-profile off; then
        print -ru2 -- "conductor-profile: left $left; back to no profile"
      fi
    fi
    return $_CONDUCTOR_PROFILE_status
  }
  typeset -ag chpwd_functions
  if (( ${chpwd_functions[(I)_conductor_profile_dir_check]} == 0 )); then
    chpwd_functions+=(_conductor_profile_dir_check)
  fi
  # --- end of directory profiles -----------------------------------------------------------------

  typeset -ag precmd_functions
  if (( ${precmd_functions[(I)_conductor_profile_precmd]} == 0 )); then
    precmd_functions+=(_conductor_profile_precmd)
  fi
  _conductor_profile_segment

  # A new shell with no active profile starts with the default one (nothing when none is set).
  # (`init` prints that switch itself, after this file, and sets _CONDUCTOR_PROFILE_INIT meanwhile.)
  if [[ -z "${CONDUCTOR_PROFILE_ACTIVE-}" && -z "${_CONDUCTOR_PROFILE_INIT-}" ]]; then
    typeset -g _CONDUCTOR_PROFILE_code
    _CONDUCTOR_PROFILE_code=$(_CONDUCTOR_PROFILE_STARTUP=1 _CONDUCTOR_PROFILE_SHELL=zsh \command conductor-profile use) &&
      eval "$_CONDUCTOR_PROFILE_code"
    unset _CONDUCTOR_PROFILE_code
    _conductor_profile_segment
  fi
  # The directory the shell starts in (directory profiles); `init` runs it after its start-up switch.
  [[ -n "${_CONDUCTOR_PROFILE_INIT-}" ]] || _conductor_profile_dir_check
  _conductor_profile_segment
fi

# --- prompt marker (on by default) ---------------------------------------------------------------
# Puts the segment in front of PROMPT (with prompt_subst, which it needs), as conda and venv do, in an
# interactive shell: outside the guard above, so an rc file that sets PROMPT again and loads this again
# gets it back, but never twice (a PROMPT that names CONDUCTOR_PROFILE_PS1 already is left alone,
# whoever put it there). Once now, and once more at the first prompt, for a theme that sets PROMPT after
# this file (oh-my-zsh loads its plugins, this one included, before the theme). Not with
# CONDUCTOR_PROFILE_PROMPT=off (set before this line), nor under a prompt framework (starship,
# powerlevel10k, oh-my-posh). No process, here or at a prompt; $? is kept for what runs after it.
_conductor_profile_prompt_marker() {
  local _CONDUCTOR_PROFILE_status=$?
  precmd_functions=(${precmd_functions:#_conductor_profile_prompt_marker})
  if [[ -o interactive && ${CONDUCTOR_PROFILE_PROMPT-} != off && ${PROMPT-} != *CONDUCTOR_PROFILE_PS1* ]] &&
    [[ ${STARSHIP_SHELL-} != zsh && ${POSH_SHELL-} != zsh && -z ${_omp_executable+set} ]] &&
    (( ! ${+functions[p10k]} && ! ${+__p9k_instant_prompt_active} && ! ${+POWERLEVEL9K_LEFT_PROMPT_ELEMENTS} )); then
    setopt prompt_subst
    PROMPT='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"${PROMPT-}"
  fi
  return $_CONDUCTOR_PROFILE_status
}
_conductor_profile_prompt_marker
if [[ -o interactive && ${CONDUCTOR_PROFILE_PROMPT-} != off ]]; then
  typeset -ag precmd_functions
  (( ${precmd_functions[(I)_conductor_profile_prompt_marker]} )) || precmd_functions+=(_conductor_profile_prompt_marker)
fi
# --- end of prompt marker ------------------------------------------------------------------------
