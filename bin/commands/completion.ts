/**
 * innovate completion bash|zsh|fish: a shell completion script, generated from the commands
 * and options the CLI itself declares, so it never falls behind them.
 * Install: `innovate completion bash > /etc/bash_completion.d/innovate`,
 * `innovate completion zsh > "${fpath[1]}/_innovate"`,
 * `innovate completion fish > ~/.config/fish/completions/innovate.fish`.
 */
import { Argument, Command } from 'commander';
import type { Context } from '../context.js';

interface Spec {
  readonly name: string;
  readonly about: string;
  readonly options: readonly { flag: string; about: string; choices?: readonly string[]; value: boolean }[];
  /** Whether the command takes spec files as arguments (complete file names). */
  readonly files: boolean;
}

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

function specs(program: Command): Spec[] {
  return program.commands
    .filter((c) => c.name() !== 'help')
    .map((c) => ({
      name: c.name(),
      about: c.summary() || c.description(),
      files: c.registeredArguments.length > 0,
      options: [...c.options.map((o) => ({ flag: o.long ?? o.short ?? '', about: o.description, value: o.required || o.optional, ...(o.argChoices ? { choices: o.argChoices } : {}) })), { flag: '--help', about: 'display help for command', value: false }],
    }));
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(all: readonly Spec[]): string {
  const cases = all
    .map((s) => {
      const choices = s.options.filter((o) => o.choices).map((o) => `        ${o.flag}) COMPREPLY=($(compgen -W ${quote(o.choices!.join(' '))} -- "$cur")); return ;;`);
      const dirs = s.options.filter((o) => o.flag === '--out').map(() => '        --out) COMPREPLY=($(compgen -d -- "$cur")); return ;;');
      return [`    ${s.name})`, '      case "$prev" in', ...choices, ...dirs, '      esac', `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${quote(s.options.map((o) => o.flag).join(' '))} -- "$cur"))`, `      else ${s.files ? 'COMPREPLY=($(compgen -f -- "$cur"))' : 'COMPREPLY=()'}; fi`, '      ;;'].join('\n');
    })
    .join('\n');
  return `# bash completion for innovate (innovate completion bash)
_innovate() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W ${quote(`${all.map((s) => s.name).join(' ')} --help --version --no-color`)} -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
}
complete -o filenames -F _innovate innovate
`;
}

function zsh(all: readonly Spec[]): string {
  const sq = (s: string) => s.replace(/'/g, `'\\''`);
  // _describe splits at the first colon only; an _arguments description ends at an unescaped ].
  const esc = (s: string) => sq(s).replace(/[[\]]/g, '\\$&');
  const commands = all.map((s) => `    '${s.name}:${sq(s.about)}'`).join('\n');
  const cases = all
    .map((s) => {
      const opts = s.options.map((o) => `'${o.flag}[${esc(o.about)}]${o.value ? `:value:${o.choices ? `(${o.choices.join(' ')})` : o.flag === '--out' ? '_files -/' : ' '}` : ''}'`);
      return `    ${s.name}) _arguments ${[...opts, ...(s.files ? ["'*:spec file:_files -g \"*.y(a|)ml\"'"] : [])].join(' ')} ;;`;
    })
    .join('\n');
  return `#compdef innovate
# zsh completion for innovate (innovate completion zsh)
_innovate() {
  local -a commands
  commands=(
${commands}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "$words[2]" in
${cases}
  esac
}
compdef _innovate innovate
`;
}

function fish(all: readonly Spec[]): string {
  const lines = ['# fish completion for innovate (innovate completion fish)', 'complete -c innovate -f'];
  for (const s of all) lines.push(`complete -c innovate -n __fish_use_subcommand -a ${s.name} -d ${quote(s.about)}`);
  for (const s of all) {
    if (s.files) lines.push(`complete -c innovate -n '__fish_seen_subcommand_from ${s.name}' -F`);
    for (const o of s.options) {
      if (!o.flag.startsWith('--')) continue;
      const values = o.choices ? ` -xa ${quote(o.choices.join(' '))}` : o.value ? ' -r' : '';
      lines.push(`complete -c innovate -n '__fish_seen_subcommand_from ${s.name}' -l ${o.flag.slice(2)}${values} -d ${quote(o.about)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(program: Command, shell: Shell): string {
  const all = specs(program);
  return shell === 'bash' ? bash(all) : shell === 'zsh' ? zsh(all) : fish(all);
}

export function registerCompletion(program: Command, ctx: Context): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh or fish)')
    .description('Print a completion script for your shell, generated from the commands and options of this innovate.')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText('after', '\nExamples:\n  innovate completion bash > /etc/bash_completion.d/innovate\n  innovate completion zsh > "${fpath[1]}/_innovate"\n  innovate completion fish > ~/.config/fish/completions/innovate.fish\n  source <(innovate completion bash)    # this shell only')
    .action((shell: Shell) => ctx.io.stdout(completionScript(program, shell)));
}
