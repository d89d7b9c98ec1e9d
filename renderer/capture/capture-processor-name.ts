/**
 * The name the capture worklet registers under; in its own module so the UI bundle does not import the worklet's code.
 */
export const CAPTURE_PROCESSOR_NAME = 'earshot-capture';
