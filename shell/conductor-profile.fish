# conductor-profile shell hook for fish (3.1 or later).
# Install: add this line to ~/.config/fish/config.fish, then open a new terminal:
#   conductor-profile init fish | source
# It defines the function conductor-profile (use and off change this shell), activates the default
# profile when a shell starts with none, defines conductor_profile_prompt and shows it in front of your
# prompt through fish_mode_prompt (see "prompt marker" at the end; your fish_prompt is left alone;
# CONDUCTOR_PROFILE_PROMPT=off before this line to place it yourself):
#   function fish_prompt; conductor_profile_prompt; ...; end
# Loading it twice installs it once. The prompt segment starts no process.
if not set -q _CONDUCTOR_PROFILE_HOOK
    set -g _CONDUCTOR_PROFILE_HOOK fish

    # The program, wrapped: `use` and `off` print shell code, sourced here (no subshell) only when the
    # program exits 0; a refusal or an error changes nothing. Returns the program's exit status.
    function conductor-profile --description 'Switch Orkes Conductor profiles in this shell'
        switch "$argv[1]"
            case use off
                # A pipe into `read`, not a command substitution: fish gives a command substitution
                # the shell's own standard error, so `2>` on this function would not reach warnings.
                _CONDUCTOR_PROFILE_SHELL=fish _CONDUCTOR_PROFILE_PREVIOUS="$_CONDUCTOR_PROFILE_PREVIOUS" _CONDUCTOR_PROFILE_SESSION="$_CONDUCTOR_PROFILE_SESSION" command conductor-profile $argv | read -lz _CONDUCTOR_PROFILE_code
                set -l _CONDUCTOR_PROFILE_status $pipestatus[1]
                if test $_CONDUCTOR_PROFILE_status -eq 0
                    printf '%s' $_CONDUCTOR_PROFILE_code | source
                end
                return $_CONDUCTOR_PROFILE_status
            case allow
                # A file just trusted applies at once: the directory is looked at again (directory profiles).
                _CONDUCTOR_PROFILE_SHELL=fish command conductor-profile $argv
                or return
                set -g _CONDUCTOR_PROFILE_DIR_FILE ''
                _conductor_profile_dir_check
            case '*'
                _CONDUCTOR_PROFILE_SHELL=fish command conductor-profile $argv
        end
    end

    # The clock for the expired mark, without a process: on Linux the boot time (read once, here) plus
    # the uptime from /proc; elsewhere (macOS) fish's own `path mtime` (fish 3.5 or later): a file's
    # time plus the seconds since it, both builtins. Only an older fish without /proc runs `date +%s`,
    # one process, and only while a token with an expiry is active.
    set -g _CONDUCTOR_PROFILE_boot
    if test -r /proc/stat
        while read -l _CONDUCTOR_PROFILE_key _CONDUCTOR_PROFILE_value
            if test "$_CONDUCTOR_PROFILE_key" = btime
                set _CONDUCTOR_PROFILE_boot $_CONDUCTOR_PROFILE_value
                break
            end
        end </proc/stat
    end
    set -g _CONDUCTOR_PROFILE_pathclock
    if contains -- path (builtin -n)
        set _CONDUCTOR_PROFILE_pathclock 1
    end

    function _conductor_profile_now
        set -l uptime idle
        if string match -qr '^[0-9]+$' -- "$_CONDUCTOR_PROFILE_boot"; and test -r /proc/uptime
            read uptime idle </proc/uptime
        end
        if string match -qr '^[0-9]+(\.[0-9]+)?$' -- "$uptime"
            math "floor($_CONDUCTOR_PROFILE_boot + $uptime)"
        else if test "$_CONDUCTOR_PROFILE_pathclock" = 1
            math (path mtime -- /) + (path mtime --relative -- /)
        else
            command date +%s
        end
    end

    # --- seatbelt: limited sessions (use --for, productionSession), the profile's colour ---
    # Ends a limited session before the first prompt after its deadline, as `off` would, and says so.
    # No process: the clock is _conductor_profile_now's, and the switch wrote the names to clear in
    # _CONDUCTOR_PROFILE_SESSION ("DEADLINE SECONDS NAME..."). A shell that inherited the session without them
    # runs `off` once, at its end.
    function _conductor_profile_session_check --on-event fish_prompt
        set -l ends "$CONDUCTOR_PROFILE_SESSION_ENDS"
        string match -qr '^[0-9]{1,18}$' -- "$ends"; or return 0
        set -l now (_conductor_profile_now)
        string match -qr '^[0-9]+$' -- "$now"; and test "$ends" -le "$now"; or return 0
        set -l name "$CONDUCTOR_PROFILE_ACTIVE"
        set -l words (string split ' ' -- "$_CONDUCTOR_PROFILE_SESSION")
        if test "$words[1]" = "$ends"; and string match -qr '^[0-9]{1,9}$' -- "$words[2]"; and set -q words[3]; and not string match -qvr '^[A-Za-z_][A-Za-z0-9_]*$' -- $words[3..-1]
            for word in $words[3..-1]
                set -e -g $word
            end
            # `use -` brings it back limited the same way (DEADLINE SECONDS NAME...: the length it had).
            test -z "$name"; or set -g _CONDUCTOR_PROFILE_PREVIOUS "$name $words[2]"
        else if not conductor-profile off >/dev/null
            return 0
        end
        set -e -g _CONDUCTOR_PROFILE_SESSION
        printf 'conductor-profile: the limited session on %s has ended; its variables are cleared\n' (string replace -ra '[\x00-\x1f\x7f\x{80}-\x{9f}]' '?' -- "$name") >&2
    end

    # Prints the time left of a limited session (" 12m", " 1h30m", " 40s"), for the prompt segment.
    function _conductor_profile_session_left
        set -l ends "$CONDUCTOR_PROFILE_SESSION_ENDS"
        string match -qr '^[0-9]{1,18}$' -- "$ends"; or return 0
        set -l now (_conductor_profile_now)
        string match -qr '^[0-9]+$' -- "$now"; or return 0
        set -l left (math "$ends - $now")
        if test $left -lt 60
            printf ' %ss' (math "max(0, $left)")
            return 0
        end
        set left (math "ceil($left / 60)")
        if test $left -lt 60
            printf ' %sm' $left
        else if test (math "$left % 60") -ne 0
            printf ' %sh%sm' (math "floor($left / 60)") (math "$left % 60")
        else
            printf ' %sh' (math "$left / 60")
        end
    end
    # Prints the set_color arguments for the segment, one a line: the profile's own colour
    # (CONDUCTOR_PROFILE_COLOR) in place of the kind's ($argv), keeping --bold. Only the 8 names pass.
    function _conductor_profile_prompt_color
        if not contains -- "$CONDUCTOR_PROFILE_COLOR" black red green yellow blue magenta cyan white
            set -q argv[1]; and printf '%s\n' $argv
            return 0
        end
        if contains -- --bold $argv
            printf '%s\n' --bold
        end
        printf '%s\n' $CONDUCTOR_PROFILE_COLOR
    end
    # --- end of seatbelt -----------------------------------------------------------------------------

    # Prints the prompt segment from the exported variables alone: no process, nothing evaluated.
    # Keeps $status as it was, so the rest of fish_prompt sees the last command's.
    function conductor_profile_prompt --description 'Print the active conductor-profile for the prompt'
        set -l _CONDUCTOR_PROFILE_status $status
        set -l name "$CONDUCTOR_PROFILE_ACTIVE"
        if test -z "$name"
            return $_CONDUCTOR_PROFILE_status
        end
        set name (string replace -ra '[\x00-\x1f\x7f\x{80}-\x{9f}]' '?' -- "$name")
        set -l color
        if test "$CONDUCTOR_PROFILE_AUTH" = user-token
            set name "⚠ $name"
            if test "$CONDUCTOR_PROFILE_PRODUCTION" = 1
                set color --bold red
            else
                set color yellow
            end
        else if test "$CONDUCTOR_PROFILE_PRODUCTION" = 1
            set color red
        end
        set color (_conductor_profile_prompt_color $color)
        # Only digits reach the comparison: a value from the environment is never evaluated.
        set -l expires "$CONDUCTOR_PROFILE_TOKEN_EXPIRES"
        if string match -qr '^[0-9]{1,18}$' -- "$expires"
            set -l now (_conductor_profile_now)
            if string match -qr '^[0-9]+$' -- "$now"; and test "$expires" -le "$now"
                set name "$name expired"
            end
        end
        set name (string join '' -- $name (_conductor_profile_session_left))
        if set -q color[1]; and test -z "$NO_COLOR"
            set_color $color
            printf '%s' "$name"
            set_color normal
        else
            printf '%s' "$name"
        end
        return $_CONDUCTOR_PROFILE_status
    end

    # --- Directory profiles --------------------------------------------------------------------
    # On a directory change (PWD set), finds the nearest .conductor-profile upward with builtins only,
    # and never reads it. When the file that applies changed, one process: `use` with
    # _CONDUCTOR_PROFILE_DIRFILE set to its path (nothing else), which checks the file (a regular file,
    # at most 4 KiB, trusted with conductor-profile allow) before it reads the name, and asks the gate.
    # Leaving a tree — for no file, or for one that does not switch (untrusted, invalid, refused) — goes
    # back to what the shell had before it entered the first tree (a `use` inside lasts until then).
    set -g _CONDUCTOR_PROFILE_DIR_FILE
    set -g _CONDUCTOR_PROFILE_DIR_INSIDE
    set -g _CONDUCTOR_PROFILE_DIR_BEFORE
    function _conductor_profile_dir_check --on-variable PWD
        set -l _CONDUCTOR_PROFILE_status $status
        set -l dir $PWD
        test "$dir" = /; and set dir ''
        set -l file ''
        while true
            if test -f "$dir/.conductor-profile"
                set file "$dir/.conductor-profile"
                break
            end
            test -n "$dir"; or break
            set dir (string replace -r '/[^/]*$' '' -- "$dir" | string collect)
        end
        set -l left "$_CONDUCTOR_PROFILE_DIR_FILE"
        if test "$file" = "$left"
            return $_CONDUCTOR_PROFILE_status
        end
        set -g _CONDUCTOR_PROFILE_DIR_FILE $file
        if test -n "$file"; and test -z "$_CONDUCTOR_PROFILE_DIR_INSIDE"
            set -g _CONDUCTOR_PROFILE_DIR_INSIDE 1
            set -g _CONDUCTOR_PROFILE_DIR_BEFORE "$CONDUCTOR_PROFILE_ACTIVE"
            # A profile inherited from a directory switch (a shell started inside a tree) is no profile to
            # go back to; when it came from this very file, it is in force already: no process.
            if test -n "$CONDUCTOR_PROFILE_FILE"
                set -g _CONDUCTOR_PROFILE_DIR_BEFORE
                if test "$file" = "$CONDUCTOR_PROFILE_FILE"; and test -n "$CONDUCTOR_PROFILE_ACTIVE"
                    return $_CONDUCTOR_PROFILE_status
                end
            end
        end
        # Entering a tree, or another tree from inside one (a switch from the first tree's profile).
        if test -n "$file"
            _CONDUCTOR_PROFILE_DIRFILE=$file conductor-profile use
            and return $_CONDUCTOR_PROFILE_status
        else
            set -g _CONDUCTOR_PROFILE_DIR_INSIDE
        end
        # Nothing to undo when no tree was left, or no switch happened inside (the file was not trusted, say).
        if test -n "$left"
            if test "$CONDUCTOR_PROFILE_ACTIVE" != "$_CONDUCTOR_PROFILE_DIR_BEFORE"; or test -n "$CONDUCTOR_PROFILE_FILE"
                set left (string replace -ra '[\x00-\x1f\x7f\x{80}-\x{9f}]' '?' -- "$left")
                set left (string replace -r '/[^/]*$' '' -- "$left")
                # When that profile cannot be had again (removed since, refused), no profile: never the tree's outside it.
                if test -n "$_CONDUCTOR_PROFILE_DIR_BEFORE"; and conductor-profile use "$_CONDUCTOR_PROFILE_DIR_BEFORE"
                    printf "conductor-profile: left %s; back to '%s'\n" "$left" "$_CONDUCTOR_PROFILE_DIR_BEFORE" >&2
                else if conductor-profile off
                    printf 'conductor-profile: left %s; back to no profile\n' "$left" >&2
                end
            end
        end
        return $_CONDUCTOR_PROFILE_status
    end
    # --- end of directory profiles -------------------------------------------------------------

    # A new shell with no active profile starts with the default one (nothing when none is set).
    # (`init` prints that switch itself, after this file, and sets _CONDUCTOR_PROFILE_INIT meanwhile.)
    if test -z "$CONDUCTOR_PROFILE_ACTIVE"; and not set -q _CONDUCTOR_PROFILE_INIT
        set -l _CONDUCTOR_PROFILE_code (_CONDUCTOR_PROFILE_STARTUP=1 _CONDUCTOR_PROFILE_SHELL=fish command conductor-profile use)
        and string join \n -- $_CONDUCTOR_PROFILE_code | source
    end
    # The directory the shell starts in (directory profiles); `init` runs it after its start-up switch.
    set -q _CONDUCTOR_PROFILE_INIT; or _conductor_profile_dir_check
end

# --- prompt marker (on by default) -----------------------------------------------------------------
# Shows the segment in front of the prompt in an interactive shell, and leaves fish_prompt alone (a
# fish_prompt defined later, a theme chosen with fish_config, all keep it): fish prints what
# fish_mode_prompt prints (the vi mode, by default) before fish_prompt's, so fish_mode_prompt is wrapped,
# once: the one there now is kept as _conductor_profile_mode_prompt and runs first. Not with
# CONDUCTOR_PROFILE_PROMPT=off (set before this line), nor under a prompt framework (starship,
# oh-my-posh). No process, here or at a prompt; $status is kept for fish_prompt.
if status is-interactive; and test "$CONDUCTOR_PROFILE_PROMPT" != off; and not functions -q _conductor_profile_mode_prompt
    and test "$STARSHIP_SHELL" != fish; and test "$POSH_SHELL" != fish; and not set -q _omp_executable
    functions -q fish_mode_prompt; and functions --copy fish_mode_prompt _conductor_profile_mode_prompt
    or function _conductor_profile_mode_prompt
    end
    function fish_mode_prompt --description 'The vi mode (as before), then the conductor-profile segment'
        set -l _CONDUCTOR_PROFILE_status $status
        _conductor_profile_mode_prompt
        if test -n "$CONDUCTOR_PROFILE_ACTIVE"; and functions -q conductor_profile_prompt
            printf '['
            conductor_profile_prompt
            printf '] '
        end
        return $_CONDUCTOR_PROFILE_status
    end
end
# --- end of prompt marker --------------------------------------------------------------------------
