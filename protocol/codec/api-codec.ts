// Per-(api, version) codecs for request and response bodies, compiled on first use and cached.

import { ApiSpec, DataSpec, MessageInput, inRange, Message, RequestOf, ResponseOf } from '../spec';
import { StructCodec, StructCompiler } from './compile';
import { Reader } from './reader';
import { Writer } from './writer';

export interface ApiVersionCodec {
  readonly flexible: boolean;
  readonly request: StructCodec;
  readonly response: StructCodec;
}

const compiled = new WeakMap<ApiSpec, ApiVersionCodec[]>();

export function codecFor(spec: ApiSpec, version: number): ApiVersionCodec {
  if (!inRange(spec.validVersions, version)) {
    throw new RangeError(`${spec.name} has no version ${version}`);
  }
  let versions = compiled.get(spec);
  if (!versions) compiled.set(spec, (versions = []));
  let codec = versions[version];
  if (!codec) {
    const flexible = inRange(spec.flexibleVersions, version);
    const compiler = new StructCompiler(version, flexible);
    codec = { flexible, request: compiler.compile(spec.request), response: compiler.compile(spec.response) };
    versions[version] = codec;
  }
  return codec;
}

export function decodeRequest<S extends ApiSpec>(spec: S, version: number, r: Reader): RequestOf<S> {
  return codecFor(spec, version).request.decode(r);
}

export function encodeRequest<S extends ApiSpec>(spec: S, version: number, w: Writer, body: MessageInput<S['request']>): void {
  codecFor(spec, version).request.encode(w, body);
}

export function decodeResponse<S extends ApiSpec>(spec: S, version: number, r: Reader): Message<S['response']> {
  return codecFor(spec, version).response.decode(r);
}

export function encodeResponse<S extends ApiSpec>(spec: S, version: number, w: Writer, body: ResponseOf<S>): void {
  codecFor(spec, version).response.encode(w, body);
}

const compiledData = new WeakMap<DataSpec, StructCodec[]>();

/** Codec of one version of a data schema (internal topic keys and values). */
export function dataCodecFor(spec: DataSpec, version: number): StructCodec {
  if (!inRange(spec.validVersions, version)) throw new RangeError(`${spec.name} has no version ${version}`);
  let versions = compiledData.get(spec);
  if (!versions) compiledData.set(spec, (versions = []));
  return (versions[version] ??= new StructCompiler(version, inRange(spec.flexibleVersions, version)).compile(spec.fields));
}
