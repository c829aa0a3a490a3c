// The protocol layer: schemas, codec, headers, record formats and error codes. Pure: no I/O.

export * from './spec';
export * from './errors';
export * from './header';
export * from './framing';
export * from './messages';
export { Reader, DecodeError } from './codec/reader';
export { Writer } from './codec/writer';
export { errorResponse } from './error-response';
export { codecFor, dataCodecFor, decodeRequest, encodeRequest, decodeResponse, encodeResponse } from './codec/api-codec';
export * from './fetch-metadata';
export { errorMessage, exceptionClassName, describeError } from './error-messages';
