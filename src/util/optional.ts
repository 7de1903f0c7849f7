/**
 * The AWS SDK clients and @aws-cdk/cloudformation-diff are optional dependencies: only plan,
 * deploy, drift and diff need them, so `npm install --omit=optional innovate` gives a light
 * install for validate and compile. They are loaded with import() when one of those commands
 * runs; when one is missing, the error says which package and how to install it.
 */
export class MissingDependencyError extends Error {
  constructor(readonly packageName: string) {
    super(
      `${packageName} is not installed: innovate plan, deploy, drift and diff need its optional dependencies ` +
        `(installed by default; left out by --omit=optional). Install them with \`npm install --include=optional innovate\`, ` +
        `or this package alone with \`npm install ${packageName}\``,
    );
    this.name = 'MissingDependencyError';
  }
}

const NOT_FOUND = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/** Runs `load` (an import() of `packageName`), turning "not installed" into a MissingDependencyError. */
export async function loadOptional<T>(packageName: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code && NOT_FOUND.has(code) && String((e as Error).message).includes(packageName)) throw new MissingDependencyError(packageName);
    throw e;
  }
}
