# conductor-profile plugin for zsh plugin managers — oh-my-zsh, antidote, zinit, zplug, … load it as is.
# It does what the README's line does, in one process: eval "$(conductor-profile init zsh)" (the hook,
# the completions, and the start-up switch to the default profile). The program must be on PATH, or
# in ../../bin beside this file (the release archive's layout). Docs: docs/install.md.
() {
  emulate -L zsh
  local here=${${(%):-%x}:A:h} program
  if (( $+commands[conductor-profile] )); then
    program=${commands[conductor-profile]}
  elif [[ -x $here/../../bin/conductor-profile ]]; then
    program=${here:h:h}/bin/conductor-profile
    path=(${here:h:h}/bin $path)
  else
    print -ru2 -- 'conductor-profile plugin: the program is not on PATH; install it (docs/install.md)'
    return 1
  fi
  typeset -g _CONDUCTOR_PROFILE_PLUGIN_INIT
  _CONDUCTOR_PROFILE_PLUGIN_INIT=$(command "$program" init zsh) || return
}
if [[ -n ${_CONDUCTOR_PROFILE_PLUGIN_INIT-} ]]; then
  # Evaluated outside the function above, so the hook's variables and functions are the shell's own.
  eval "$_CONDUCTOR_PROFILE_PLUGIN_INIT"
fi
unset _CONDUCTOR_PROFILE_PLUGIN_INIT
