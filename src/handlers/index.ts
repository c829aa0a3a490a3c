// Every API this broker serves. ApiVersions advertises exactly this table.

import { Handler } from './handler';
import produce from './00-produce';
import fetch from './01-fetch';
import listOffsets from './02-list-offsets';
import metadata from './03-metadata';
import apiVersions from './18-api-versions';
import createTopics from './19-create-topics';
import deleteTopics from './20-delete-topics';

export const HANDLERS: readonly Handler[] = [produce, fetch, listOffsets, metadata, apiVersions, createTopics, deleteTopics];
