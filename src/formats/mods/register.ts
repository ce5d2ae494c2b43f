/**
 * The 'mods' and 'dc' writer formats (`writeRecords(records, dest, {format: 'mods'})`, the
 * serializer streams): each crosswalk registers its own on import, so this loads both.
 */
import './index.js';
import '../dc/index.js';
