# conductor-profile completion for fish. The program says what completes the token under the cursor
# (`conductor-profile __complete -- WORD...`: one candidate a line, then a directive: :nofiles, :files,
# :directories or `:command K`), so this script does not change when a command gains an option.
# Install: nothing with the shell hook (init prints it); else:
#   conductor-profile completions fish > ~/.config/fish/completions/conductor-profile.fish

function __conductor_profile_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cur (commandline -ct)
    set -l lines (_CONDUCTOR_PROFILE_PREVIOUS="$_CONDUCTOR_PROFILE_PREVIOUS" command conductor-profile __complete -- $tokens "$cur" 2>/dev/null)
    set -q lines[1]; or return
    set -l directive $lines[-1]
    set -e lines[-1]
    switch $directive
        case :files
            __fish_complete_path "$cur"
        case :directories
            __fish_complete_directories "$cur"
        case ':command *'
            # exec NAME -- COMMAND ARG...: complete as if the command line started there.
            set -l start (string replace ':command ' '' -- $directive)
            if test "$start" -ge (count $tokens)
                complete -C "$cur"
            else
                complete -C (string join ' ' -- (string escape -- $tokens[(math $start + 1)..-1]) "$cur")
            end
        case '*'
            # '--option=VALUE': the values come without the '--option=' that fish completes with them.
            set -l option (string match -r -- '^--[^=]*=' "$cur")
            for line in $lines
                printf '%s%s\n' "$option" "$line"
            end
    end
end

complete -c conductor-profile -e
complete -c conductor-profile -f -a '(__conductor_profile_complete)'
