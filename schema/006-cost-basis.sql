-- 006-cost-basis.sql: which cost a file's lines carry.
--
-- 'unblended' (UnBlendedCost, CUR's UnblendedCost), 'blended' (a DBR
-- exported with BlendedCost only: the organisation's average rates),
-- 'billed' (a single-account DBR's Cost, monthly totals, FOCUS
-- BilledCost); '' for service lists and files stored before this.
ALTER TABLE file ADD COLUMN cost_basis TEXT NOT NULL DEFAULT '';
