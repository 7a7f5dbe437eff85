// duckdb-query.mjs FILE - DuckDB's aggregate query on a DBR-RT or CUR
// file, plain or gzipped (read_csv decompresses .gz itself). Prints the
// number of groups and the total, as peer.py does.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const src = `read_csv('${file.replaceAll("'", "''")}')`;
const head = await con.runAndReadAll(`SELECT * FROM ${src} LIMIT 0`);
const cur = head.columnNames().includes('lineItem/UnblendedCost');
const [account, service, start, cost] = cur
	? ['"lineItem/UsageAccountId"', '"lineItem/ProductCode"',
	   '"lineItem/UsageStartDate"', '"lineItem/UnblendedCost"']
	: ['LinkedAccountId', 'ProductName', 'UsageStartDate', 'UnBlendedCost'];
const result = await con.runAndReadAll(`
	SELECT count(*), round(sum(total), 2) FROM (
	    SELECT ${account}, ${service},
	           substr(CAST(${start} AS VARCHAR), 1, 10) AS day,
	           sum(CAST(${cost} AS DECIMAL(38, 10))) AS total
	    FROM ${src} GROUP BY ALL)`);
const [groups, total] = result.getRows()[0];
console.log(`${groups} ${total}`);
