/**
 * Types of asl-validator 4 (it ships none): the validator the tests use for Step Functions
 * definitions, and the stub's ValidateStateMachineDefinition answers.
 */
declare module 'asl-validator' {
  interface AslError {
    readonly 'Error code': string;
    readonly Message: string;
    readonly schemaError?: { readonly instancePath?: string };
  }
  interface AslResult {
    readonly isValid: boolean;
    readonly errors: readonly AslError[];
    errorsText(separator?: string): string;
  }
  function aslValidator(
    definition: unknown,
    options?: { readonly checkArn?: boolean; readonly checkPaths?: boolean },
  ): AslResult;
  export = aslValidator;
}
