/**
 * The composer's script (plain, no bundle): as the person types, it asks `/app/compose/preview`
 * (the same checks as the API) for each target's count, the thread parts and the resolved time,
 * 300 ms after the last key. The form works without it; it only shows more.
 */
export const composerScript = `(function(){
var form=document.getElementById('composer');if(!form)return;
var csrf=form.querySelector('input[name=_csrf]').value;var timer=null;var seq=0;
function el(tag,text,cls){var e=document.createElement(tag);if(text!=null)e.textContent=text;if(cls)e.className=cls;return e}
function draft(){var d={text:form.text.value,targets:[],when:form.when.value,timezone:form.timezone.value,overrides:{}};
form.querySelectorAll('input[name=targets]:checked').forEach(function(i){d.targets.push(i.value)});
if(form.thread.checked)d.thread='auto';
form.querySelectorAll('textarea[data-platform]').forEach(function(t){if(t.value)d.overrides[t.getAttribute('data-platform')]={text:t.value}});
return d}
function show(r){var counts=document.getElementById('counts');var parts=document.getElementById('parts');counts.textContent='';parts.textContent='';
var issues=r.issues||[];
r.targets.forEach(function(t){var li=el('li');var line=t.name+' '+t.handle+': ';
if(t.count!=null){line+=t.count+' of '+t.max+' '+t.unit;var over=t.count>t.max;
if(t.parts)line+=', a thread of '+t.parts.length+' parts';else if(over)line+=' (too long)';
li.textContent=line;if(over&&!t.parts)li.className='err'}else li.textContent=line+'not measured';counts.appendChild(li);
if(t.parts){var h=el('h3','Thread on '+t.name+' ('+t.handle+')');var ol=el('ol');t.parts.forEach(function(p){var i=el('li');i.appendChild(el('pre',p,'text'));ol.appendChild(i)});parts.appendChild(h);parts.appendChild(ol)}});
if(!r.targets.length)counts.appendChild(el('li','Choose accounts to see each count.','muted'));
issues.filter(function(i){return i.field!=='when'&&i.field!=='timezone'}).forEach(function(i){counts.appendChild(el('li',i.field+': '+i.message,'err'))});
var echo=document.getElementById('when-echo');var w=issues.filter(function(i){return i.field==='when'||i.field==='timezone'})[0];
if(w){echo.textContent=w.message;echo.className='err'}else if(r.schedule){echo.textContent='Goes out '+r.schedule.local;echo.className='muted'}}
function ask(){var mine=++seq;fetch('/app/compose/preview',{method:'POST',credentials:'same-origin',headers:{'content-type':'application/json','x-csrf-token':csrf},body:JSON.stringify(draft())})
.then(function(r){return r.ok?r.json():null}).then(function(r){if(r&&mine===seq)show(r)}).catch(function(){})}
function soon(){clearTimeout(timer);timer=setTimeout(ask,300)}
form.addEventListener('input',soon);form.addEventListener('change',soon);
var slot=document.getElementById('next-slot');if(slot)slot.addEventListener('click',function(){form.when.value='next slot';soon()});
ask()})();`;
