# conductor-profile shell hook for bash (4.4 or later).
# Install: add this line to ~/.bashrc, then open a new terminal:
#   eval "$(conductor-profile init bash)"
# It defines the function conductor-profile (use and off change this shell), activates the default
# profile when a shell starts with none, keeps CONDUCTOR_PROFILE_PS1 current and puts it in front of
# PS1 (see "prompt marker" at the end; CONDUCTOR_PROFILE_PROMPT=off before this line to place it yourself):
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
        _CONDUCTOR_PROFILE_code=$(_CONDUCTOR_PROFILE_SHELL=bash _CONDUCTOR_PROFILE_PREVIOUS="${_CONDUCTOR_PROFILE_PREVIOUS-}" _CONDUCTOR_PROFILE_SESSION="${_CONDUCTOR_PROFILE_SESSION-}" \command conductor-profile "$@") || _CONDUCTOR_PROFILE_status=$?
        if [[ $_CONDUCTOR_PROFILE_status -eq 0 ]]; then
          _conductor_profile_apply "$_CONDUCTOR_PROFILE_code" || _CONDUCTOR_PROFILE_status=$?
        fi
        return "$_CONDUCTOR_PROFILE_status"
        ;;
      allow)
        # A file just trusted applies at once: the directory is looked at again (directory profiles).
        _CONDUCTOR_PROFILE_SHELL=bash \command conductor-profile "$@" || return
        _CONDUCTOR_PROFILE_DIR_PWD='' _CONDUCTOR_PROFILE_DIR_FILE=''
        _conductor_profile_dir_check
        ;;
      *)
        _CONDUCTOR_PROFILE_SHELL=bash \command conductor-profile "$@"
        ;;
    esac
  }

  # Evaluates a switch only when this shell can apply all of it: every variable the code sets or unsets
  # is looked up first, and a read-only one stops the switch before anything changes — also where
  # errexit would end the shell. Says so and returns 1. The names come from the first line alone, which
  # the program writes before any value ("# conductor-profile switch sets: NAME..."): no value, whatever
  # lines it spans, can add or hide one. Output without that line is no switch: nothing is evaluated.
  _conductor_profile_apply() {
    local _CONDUCTOR_PROFILE_head=${1%%$'\n'*} _CONDUCTOR_PROFILE_name _CONDUCTOR_PROFILE_names
    # ${!name@a} of an unset name is an error under `set -u`: nounset off in here only (`local -`, bash 4.4).
    local -
    set +u
    if [[ $_CONDUCTOR_PROFILE_head != '# conductor-profile switch sets:'* ]]; then
      printf '%s\n' "conductor-profile: the program printed no switch; nothing was changed" >&2
      return 1
    fi
    IFS=' ' read -r -a _CONDUCTOR_PROFILE_names <<<"${_CONDUCTOR_PROFILE_head#'# conductor-profile switch sets:'}"
    for _CONDUCTOR_PROFILE_name in "${_CONDUCTOR_PROFILE_names[@]}"; do
      if [[ ! $_CONDUCTOR_PROFILE_name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
        printf '%s\n' "conductor-profile: the program printed no switch; nothing was changed" >&2
        return 1
      fi
      if [[ ${!_CONDUCTOR_PROFILE_name@a} == *r* ]]; then
        printf '%s\n' "conductor-profile: this shell cannot apply the switch: $_CONDUCTOR_PROFILE_name is read-only here; nothing was changed" >&2
        return 1
      fi
    done
    eval "$1"
  }

  # The one rule for outside text in this hook's prompt segment and messages: C0 controls, DEL and C1
  # controls (U+0080-U+009F, in UTF-8 whatever the locale) become '?'. Sets _CONDUCTOR_PROFILE_plain.
  _conductor_profile_plain() {
    _CONDUCTOR_PROFILE_plain=${1//[[:cntrl:]]/?}
    _CONDUCTOR_PROFILE_plain=${_CONDUCTOR_PROFILE_plain//$'\xc2'[$'\x80'-$'\x9f']/?}
  }

  # Sets CONDUCTOR_PROFILE_PS1 from the exported variables alone: no process, nothing evaluated.
  # Colour sequences sit between \001 and \002 so readline counts the prompt's width right.
  _conductor_profile_segment() {
    local name=${CONDUCTOR_PROFILE_ACTIVE-} expires=${CONDUCTOR_PROFILE_TOKEN_EXPIRES-} now color=
    CONDUCTOR_PROFILE_PS1=
    [[ -n $name ]] || return 0
    _conductor_profile_plain "$name"
    name=$_CONDUCTOR_PROFILE_plain
    if [[ ${CONDUCTOR_PROFILE_AUTH-} == user-token ]]; then
      name="⚠ $name"
      if [[ ${CONDUCTOR_PROFILE_PRODUCTION-} == 1 ]]; then color='1;31'; else color=33; fi
    elif [[ ${CONDUCTOR_PROFILE_PRODUCTION-} == 1 ]]; then
      color=31
    fi
    _conductor_profile_prompt_color
    # Only digits reach the arithmetic: a value from the environment is never evaluated.
    if [[ $expires =~ ^[0-9]{1,18}$ ]]; then
      printf -v now '%(%s)T' -1
      if ((10#$expires <= now)); then name+=' expired'; fi
    fi
    _conductor_profile_session_left
    if [[ -n $color && -z ${NO_COLOR-} ]]; then
      CONDUCTOR_PROFILE_PS1=$'\001\e['"$color"$'m\002'"$name"$'\001\e[0m\002'
    else
      CONDUCTOR_PROFILE_PS1=$name
    fi
  }

  # Runs from PROMPT_COMMAND before each prompt; keeps $? as the prompt sees it.
  _conductor_profile_precmd() {
    local _CONDUCTOR_PROFILE_status=$?
    _conductor_profile_session_check
    _conductor_profile_dir_check
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

  # --- seatbelt: limited sessions (use --for, productionSession), the profile's colour ---
  # Ends a limited session at the first prompt after its deadline, as `off` would, and says so. No
  # process: the clock is printf's, and the switch wrote the names to clear in _CONDUCTOR_PROFILE_SESSION
  # ("DEADLINE SECONDS NAME..."). A shell that inherited the session without them runs `off` once, at its end.
  _conductor_profile_session_check() {
    local ends=${CONDUCTOR_PROFILE_SESSION_ENDS-} now name=${CONDUCTOR_PROFILE_ACTIVE-} session=${_CONDUCTOR_PROFILE_SESSION-} IFS=' '
    [[ $ends =~ ^[0-9]{1,18}$ ]] || return 0
    printf -v now '%(%s)T' -1
    ((10#$ends <= now)) || return 0
    if [[ $session =~ ^([0-9]{1,18})\ ([0-9]{1,9})(( [A-Za-z_][A-Za-z0-9_]*)+)$ && ${BASH_REMATCH[1]} == "$ends" ]]; then
      # `use -` brings it back limited the same way (DEADLINE SECONDS NAME...: the length it had).
      [[ -z $name ]] || _CONDUCTOR_PROFILE_PREVIOUS="$name ${BASH_REMATCH[2]}"
      # shellcheck disable=SC2086  # checked names, split on their spaces
      unset -v ${BASH_REMATCH[3]}
    elif ! \conductor-profile off >/dev/null; then
      return 0
    fi
    unset _CONDUCTOR_PROFILE_SESSION
    _conductor_profile_plain "$name"
    printf 'conductor-profile: the limited session on %s has ended; its variables are cleared\n' "$_CONDUCTOR_PROFILE_plain" >&2
  }

  # Appends the time left of a limited session to the caller's `name` (" 12m", " 1h30m", " 40s").
  _conductor_profile_session_left() {
    local ends=${CONDUCTOR_PROFILE_SESSION_ENDS-} now left
    [[ $ends =~ ^[0-9]{1,18}$ ]] || return 0
    printf -v now '%(%s)T' -1
    left=$((10#$ends - now))
    if ((left < 60)); then
      name+=" $((left < 0 ? 0 : left))s"
    else
      left=$(((left + 59) / 60))
      if ((left < 60)); then
        name+=" ${left}m"
      elif ((left % 60)); then
        name+=" $((left / 60))h$((left % 60))m"
      else
        name+=" $((left / 60))h"
      fi
    fi
  }
  # Sets the caller's `color` to the profile's own (CONDUCTOR_PROFILE_COLOR), keeping the bold of a
  # user token on production. Only the 8 names reach the prompt.
  _conductor_profile_prompt_color() {
    local code
    case ${CONDUCTOR_PROFILE_COLOR-} in
      black) code=30 ;;
      red) code=31 ;;
      green) code=32 ;;
      yellow) code=33 ;;
      blue) code=34 ;;
      magenta) code=35 ;;
      cyan) code=36 ;;
      white) code=37 ;;
      *) return 0 ;;
    esac
    if [[ $color == '1;'* ]]; then color="1;$code"; else color=$code; fi
  }
  # --- end of seatbelt ---------------------------------------------------------------------------------

  # --- Directory profiles ------------------------------------------------------------------------
  # When $PWD changed since the last prompt, finds the nearest .conductor-profile upward with builtins
  # only, and never reads it. When the file that applies changed, one process: `use` with
  # _CONDUCTOR_PROFILE_DIRFILE set to its path (nothing else), which checks the file (a regular file, at
  # most 4 KiB, trusted with conductor-profile allow) before it reads the name, and asks the gate.
  # Leaving a tree — for no file, or for one that does not switch (untrusted, invalid, refused) — goes
  # back to what the shell had before it entered the first tree (a `use` inside lasts until then).
  _conductor_profile_dir_check() {
    [[ -z ${PWD-} || $PWD == "${_CONDUCTOR_PROFILE_DIR_PWD-}" ]] && return 0
    _CONDUCTOR_PROFILE_DIR_PWD=$PWD
    local dir=$PWD file='' left=${_CONDUCTOR_PROFILE_DIR_FILE-}
    [[ $dir == / ]] && dir=
    while :; do
      if [[ -f $dir/.conductor-profile ]]; then
        file=$dir/.conductor-profile
        break
      fi
      [[ -n $dir ]] || break
      dir=${dir%/*}
    done
    [[ $file == "$left" ]] && return 0
    _CONDUCTOR_PROFILE_DIR_FILE=$file
    if [[ -n $file && -z ${_CONDUCTOR_PROFILE_DIR_INSIDE-} ]]; then
      _CONDUCTOR_PROFILE_DIR_INSIDE=1
      _CONDUCTOR_PROFILE_DIR_BEFORE=${CONDUCTOR_PROFILE_ACTIVE-}
      # A profile inherited from a directory switch (a shell started inside a tree) is no profile to go
      # back to; when it came from this very file, it is in force already: no process.
      if [[ -n ${CONDUCTOR_PROFILE_FILE-} ]]; then
        _CONDUCTOR_PROFILE_DIR_BEFORE=
        [[ $file == "$CONDUCTOR_PROFILE_FILE" && -n ${CONDUCTOR_PROFILE_ACTIVE-} ]] && return 0
      fi
    fi
    # Entering a tree, or another tree from inside one (a switch from the first tree's profile).
    if [[ -n $file ]] && _CONDUCTOR_PROFILE_DIRFILE=$file \conductor-profile use; then
      return 0
    fi
    [[ -n $file ]] || _CONDUCTOR_PROFILE_DIR_INSIDE=
    # Nothing to undo when no tree was left, or no switch happened inside (the file was not trusted, say).
    [[ -n $left ]] || return 0
    [[ ${CONDUCTOR_PROFILE_ACTIVE-} == "${_CONDUCTOR_PROFILE_DIR_BEFORE-}" && -z ${CONDUCTOR_PROFILE_FILE-} ]] && return 0
    _conductor_profile_plain "${left%/*}"
    left=$_CONDUCTOR_PROFILE_plain
    # When that profile cannot be had again (removed since, refused), no profile: never the tree's outside it.
    if [[ -n ${_CONDUCTOR_PROFILE_DIR_BEFORE-} ]] && \conductor-profile use "$_CONDUCTOR_PROFILE_DIR_BEFORE"; then
      printf "conductor-profile: left %s; back to '%s'\n" "$left" "$_CONDUCTOR_PROFILE_DIR_BEFORE" >&2
    elif \conductor-profile off; then
      printf 'conductor-profile: left %s; back to no profile\n' "$left" >&2
    fi
    return 0
  }
  # --- end of directory profiles -----------------------------------------------------------------

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
  # (`init` prints that switch itself, after this file, and sets _CONDUCTOR_PROFILE_INIT meanwhile.)
  if [[ -z "${CONDUCTOR_PROFILE_ACTIVE-}" && -z "${_CONDUCTOR_PROFILE_INIT-}" ]]; then
    _CONDUCTOR_PROFILE_code=$(_CONDUCTOR_PROFILE_STARTUP=1 _CONDUCTOR_PROFILE_SHELL=bash \command conductor-profile use) &&
      eval "$_CONDUCTOR_PROFILE_code"
    unset _CONDUCTOR_PROFILE_code
    _conductor_profile_segment
  fi
fi

# --- prompt marker (on by default) ---------------------------------------------------------------
# Puts the segment in front of PS1, as conda and venv do, in an interactive shell: outside the guard
# above, so an rc file that sets PS1 again and loads this again gets it back, but never twice (a PS1
# that names CONDUCTOR_PROFILE_PS1 already is left alone, whoever put it there). Not with
# CONDUCTOR_PROFILE_PROMPT=off (set before this line), nor under a prompt framework (starship,
# oh-my-posh), nor without promptvars. No process, here or at a prompt.
if [[ $- == *i* && ${CONDUCTOR_PROFILE_PROMPT-} != off && ${PS1-} != *CONDUCTOR_PROFILE_PS1* ]] &&
  [[ ${STARSHIP_SHELL-} != bash && ${POSH_SHELL-} != bash && -z ${_omp_executable+set} ]] && shopt -q promptvars; then
  PS1='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"${PS1-}"
fi
# --- end of prompt marker ------------------------------------------------------------------------
